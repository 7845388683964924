import type { ZodError } from 'zod';
import { describeValue, valueAt } from './describe-value.js';
import type { PathSegment } from './format-path.js';
import type { RawIssue } from './raw-issue.js';
import { ALLOWED_KEYS_PREFIX } from './strict-object.js';

type ZodIssue = ZodError['issues'][number];

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  url: 'URL',
  email: 'e-mail address',
  uuid: 'UUID',
  datetime: 'ISO date-time',
};

/**
 * Turns zod issues into human messages: `is required`, `must be ≥ 1 (got 0)`,
 * `must be one of "bronze", "silver", "gold" (got "platinum")`; one issue per path (the first),
 * one per unknown key.
 * `input` is the validated document, used to say what was found.
 */
export function fromZodIssues(
  issues: readonly ZodIssue[],
  input: unknown,
  prefix: readonly PathSegment[] = [],
): RawIssue[] {
  return firstPerPath(issues).flatMap((issue) => {
    const segments = [...prefix, ...issue.path.filter((s): s is PathSegment => typeof s !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      const allowed = issue.message.startsWith(ALLOWED_KEYS_PREFIX) ? ` (${issue.message})` : '';
      return issue.keys.map((key) => ({ segments: [...segments, key], message: `unknown key "${key}"${allowed}` }));
    }
    return [{ segments, message: messageOf(issue, valueAt(input, segments.slice(prefix.length))) }];
  });
}

/** One issue per path (the first): `""` fails both `min(1)` and a pattern; saying it is empty is enough. */
function firstPerPath(issues: readonly ZodIssue[]): ZodIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (issue.code === 'unrecognized_keys') return true;
    const key = JSON.stringify(issue.path.map(String));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageOf(issue: ZodIssue, got: unknown): string {
  const found = ` (got ${describeValue(got)})`;
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return 'is required';
      if (issue.expected === 'string' && (typeof got === 'number' || typeof got === 'boolean')) {
        return `must be a string (got ${describeValue(got)}; quote the value in YAML)`;
      }
      if (isQuotedScalar(issue.expected, got)) {
        return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${describeValue(got)}; remove the quotes in YAML)`;
      }
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}${found}`;
    case 'too_small':
      return `${bound(issue.origin, issue.minimum, issue.inclusive, 'min')}${issue.origin === 'number' ? found : ''}`;
    case 'too_big':
      return `${bound(issue.origin, issue.maximum, issue.inclusive, 'max')}${issue.origin === 'number' ? found : ''}`;
    case 'invalid_value': {
      const [only, ...rest] = issue.values;
      if (rest.length === 0) return `must be ${JSON.stringify(only)}${found}`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${found}`;
    }
    case 'invalid_format':
      // Schemas in this package give their own messages; zod's defaults ("Invalid URL") are reworded.
      if (!issue.message.startsWith('Invalid')) return issue.message;
      if (issue.format === 'regex') return `must match the pattern ${issue.pattern ?? ''}${found}`;
      return `must be a valid ${FORMAT_NAMES[issue.format] ?? issue.format}${found}`;
    case 'invalid_union':
      return `does not match any allowed form${found}`;
    default:
      return issue.message;
  }
}

/** A number or boolean written in quotes: `batch_size: "100"`, `enabled: "true"`. */
function isQuotedScalar(expected: string, got: unknown): boolean {
  if (typeof got !== 'string') return false;
  if (expected === 'number' || expected === 'int') return got.trim() !== '' && Number.isFinite(Number(got));
  return expected === 'boolean' && (got === 'true' || got === 'false');
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, side: 'min' | 'max'): string {
  const n = Number(limit);
  if (origin === 'string') {
    if (side === 'min' && n === 1) return 'must not be empty';
    return `must be at ${side === 'min' ? 'least' : 'most'} ${n} characters`;
  }
  if (origin === 'array' || origin === 'set') {
    return `must list at ${side === 'min' ? 'least' : 'most'} ${n} ${n === 1 ? 'item' : 'items'}`;
  }
  const op = side === 'min' ? (inclusive === false ? '>' : '≥') : inclusive === false ? '<' : '≤';
  return `must be ${op} ${n}`;
}
