import { describe, expect, it } from '@jest/globals';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { encodeJsonRows, joinJsonRows } from '../../../src/engine/encoding/index.js';
import { encodeJsonRowsBody, jsonRowsRange } from '../../../src/engine/encoding/json-rows-body.js';
import { tableOf } from '../../helpers/arrow.js';
import { goldCustomers } from '../../helpers/fixtures.js';

const FRAMINGS = [{}, { open: '{"data":[', close: ']}' }, { open: '', close: '' }];

describe('encodeJsonRowsBody', () => {
  it('gives the bytes of joinJsonRows for the whole batch, under every framing', () => {
    const batch = goldCustomers().batches[0]!;
    const rows = encodeJsonRows(batch, { int64: 'string' });
    for (const framing of FRAMINGS) {
      const encoded = encodeJsonRowsBody(batch, { int64: 'string' }, framing);
      expect(encoded.body.equals(joinJsonRows(rows, framing))).toBe(true);
      expect(encoded.ends.length).toBe(batch.numRows);
    }
  });

  it('cuts the body of any run of rows, framed like the whole', () => {
    const batch = goldCustomers().batches[0]!;
    const rows = encodeJsonRows(batch);
    for (const framing of FRAMINGS) {
      const encoded = encodeJsonRowsBody(batch, {}, framing);
      for (let start = 0; start <= rows.length; start += 1) {
        for (let end = start; end <= rows.length; end += 1) {
          const expected = joinJsonRows(rows.slice(start, end), framing).toString();
          expect([start, end, jsonRowsRange(encoded, start, end).toString()]).toEqual([start, end, expected]);
        }
      }
    }
  });

  it('grows its buffer for multi-byte text, keeping every row end right', () => {
    const text = Array.from({ length: 300 }, (_, i) => '日本語🎉'.repeat(i % 40));
    const table = tableOf({
      id: vectorFromArray(
        text.map((_, i) => i),
        new Int32(),
      ),
      t: vectorFromArray(text, new Utf8()),
    });
    const batch = table.batches[0]!;
    const encoded = encodeJsonRowsBody(batch, {}, { open: '{"data":[', close: ']}' });
    const parsed = JSON.parse(encoded.body.toString()) as { data: { id: number; t: string }[] };
    expect(parsed.data.map((row) => row.t)).toEqual(text);
    expect(JSON.parse(jsonRowsRange(encoded, 299, 300).toString())).toEqual({ data: [{ id: 299, t: text[299] }] });
    expect(JSON.parse(jsonRowsRange(encoded, 120, 122).toString()).data).toEqual(parsed.data.slice(120, 122));
  });

  it('encodes an empty batch as the bare framing', () => {
    const batch = goldCustomers().batches[0]!.slice(0, 0);
    const encoded = encodeJsonRowsBody(batch);
    expect(encoded.body.toString()).toBe('[]');
    expect(encoded.ends.length).toBe(0);
    expect(jsonRowsRange(encoded, 0, 0).toString()).toBe('[]');
  });
});
