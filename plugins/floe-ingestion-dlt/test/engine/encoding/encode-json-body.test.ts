import { describe, expect, it } from '@jest/globals';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { encodeJsonBody, joinJsonRows } from '../../../src/engine/encoding/index.js';
import { jsonFromValue } from '../../../src/engine/encoding/json-from-value.js';
import { resolveJsonOptions } from '../../../src/engine/encoding/encoding-options.js';
import { formatTimeOfDay } from '../../../src/engine/encoding/temporal-format.js';
import { epochSeconds } from '../../../src/internal/arrow-values/split-epoch.js';
import { tableOf } from '../../helpers/arrow.js';

describe('encodeJsonBody', () => {
  it('writes the rows into one UTF-8 buffer with the framing', () => {
    const table = tableOf({ a: vectorFromArray([1, 2], new Int32()), s: vectorFromArray(['é', '€𝄞'], new Utf8()) });
    expect(encodeJsonBody(table.batches[0]!).toString()).toBe('[{"a":1,"s":"é"},{"a":2,"s":"€𝄞"}]');
    expect(encodeJsonBody(table.batches[0]!, {}, { open: '{"data":[', close: ']}' }).toString()).toBe(
      '{"data":[{"a":1,"s":"é"},{"a":2,"s":"€𝄞"}]}',
    );
    expect(joinJsonRows([]).toString()).toBe('[]');
  });

  it('grows the buffer for rows of multi-byte text and long framing', () => {
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ t: '日本語テキスト'.repeat(i + 1) }));
    const body = joinJsonRows(rows, { open: '', close: '🎉'.repeat(20) });
    expect(body.toString()).toBe(rows.join(',') + '🎉'.repeat(20));
  });
});

describe('jsonFromValue (fallback for rare types)', () => {
  const options = resolveJsonOptions();
  it('writes JavaScript values as JSON with the int64 rules', () => {
    expect(jsonFromValue(null, options)).toBe('null');
    expect(jsonFromValue(Number.NaN, options)).toBe('"NaN"');
    expect(jsonFromValue(2n ** 60n, options)).toBe('1152921504606846976');
    expect(jsonFromValue(2n ** 60n, resolveJsonOptions({ int64: 'auto' }))).toBe('"1152921504606846976"');
    expect(jsonFromValue(5n, resolveJsonOptions({ int64: 'string' }))).toBe('"5"');
    expect(jsonFromValue(true, options)).toBe('true');
    expect(jsonFromValue('x"y', options)).toBe('"x\\"y"');
    expect(jsonFromValue(new Date(0), options)).toBe('"1970-01-01T00:00:00.000Z"');
    expect(jsonFromValue(Uint8Array.of(1, 2), options)).toBe('"AQI="');
    expect(jsonFromValue([1, 'a'], options)).toBe('[1,"a"]');
    expect(jsonFromValue({ toJSON: () => ({ k: 1 }) }, options)).toBe('{"k":1}');
    expect(jsonFromValue(new Set([1]), options)).toBe('[1]');
    expect(jsonFromValue({ a: 1n }, options)).toBe('{"a":1}');
  });
});

describe('temporal formatting', () => {
  it('splits negative epochs and wraps times of day', () => {
    expect(epochSeconds(-1n, 3)).toEqual([-1, 999_999_999]);
    expect(epochSeconds(-1, 1)).toEqual([-1, 999]);
    expect(formatTimeOfDay(-1, 0)).toBe('23:59:59');
    expect(formatTimeOfDay(90_061_000_000_001n, 3)).toBe('01:01:01.000000001');
  });
});
