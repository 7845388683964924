import type { ResolvedJsonOptions } from './encoding-options.js';
import { doubleText } from './numeric-format.js';

/**
 * JSON text of a JavaScript value read through Arrow's own accessors (the fallback for rare types:
 * intervals, unions, views): bigints exact, typed arrays and vectors as arrays, rows as objects.
 */
export function jsonFromValue(value: unknown, options: ResolvedJsonOptions): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return doubleText(value);
    case 'bigint':
      return options.int64 === 'string' || (options.int64 === 'auto' && !Number.isSafeInteger(Number(value)))
        ? `"${value}"`
        : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    default:
      break;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array)
    return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return `[${Array.from(value as ArrayLike<unknown>, (item) => jsonFromValue(item, options)).join(',')}]`;
  }
  const record = value as { toJSON?: () => unknown; [Symbol.iterator]?: unknown };
  if (typeof record.toJSON === 'function') {
    const plain = record.toJSON();
    if (plain !== value) return jsonFromValue(plain, options);
  }
  if (typeof record[Symbol.iterator] === 'function') {
    return `[${Array.from(value as Iterable<unknown>, (item) => jsonFromValue(item, options)).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonFromValue(item, options)}`).join(',')}}`;
}
