import { DataType, type Schema } from 'apache-arrow';

/**
 * A refused row's values as the rejected-rows file shows every other row's: dates as `YYYY-MM-DD`, timestamps as
 * ISO-8601 (the diff hands them over as epoch milliseconds).
 *
 * @example
 * ```ts
 * refusedValues({ order_date: 1609459200000 }, schema); // { order_date: '2021-01-01' }
 * ```
 */
export function refusedValues(
  values: Readonly<Record<string, unknown>>,
  schema: Schema,
): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...values };
  for (const field of schema.fields) {
    const value = out[field.name];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (DataType.isDate(field.type)) out[field.name] = new Date(value).toISOString().slice(0, 10);
    else if (DataType.isTimestamp(field.type)) out[field.name] = new Date(value).toISOString();
  }
  return out;
}
