const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] },
  { name: 'hour', min: 0, max: 23, names: [] },
  { name: 'day of month', min: 1, max: 31, names: [] },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;
const PART = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/;

/**
 * Checks a five-field cron expression (`m h dom mon dow`, with `*`, ranges, steps, lists and
 * month/day names) or a macro such as `@daily`. Returns what is wrong, or `undefined`.
 */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (MACROS.has(text.toLowerCase())) return undefined;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily; got ${fields.length}`;
  }
  for (const [index, field] of fields.entries()) {
    const spec = FIELDS[index]!;
    for (const part of field.split(',')) {
      const problem = partProblem(part, spec);
      if (problem) return `${spec.name} field "${field}": ${problem}`;
    }
  }
  return undefined;
}

function partProblem(part: string, spec: (typeof FIELDS)[number]): string | undefined {
  const match = PART.exec(part);
  if (!match) return `"${part}" is not a value, range or step`;
  if (match[2] !== undefined && Number(match[2]) === 0) return 'a step must be ≥ 1';
  if (match[1] === '*') return undefined;
  for (const value of match[1]!.split('-')) {
    const n = /^\d+$/.test(value)
      ? Number(value)
      : (spec.names as readonly string[]).indexOf(value.toUpperCase()) + spec.min;
    if (n < spec.min || n > spec.max) return `"${value}" is outside ${spec.min}-${spec.max}`;
  }
  return undefined;
}
