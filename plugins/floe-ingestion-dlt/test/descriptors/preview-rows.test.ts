import { describe, expect, it } from '@jest/globals';
import { Field, Int64, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from 'apache-arrow';
import { SinkConfig } from '@floe/core';
import { previewJsonRows, previewValueRows } from '../../src/engine/destination/preview-rows.js';

const encodePreviewRows = (config: SinkConfig, b: RecordBatch, limit: number) =>
  config.sinkType === 'rest_api' ? previewJsonRows(config, b, limit) : previewValueRows(config, b, limit);

function batch(): RecordBatch {
  const ids = vectorFromArray([9007199254740993n, 2n], new Int64());
  const names = vectorFromArray(['Ann', null], new Utf8());
  const fields = [new Field('customerId', new Int64(), false), new Field('Full Name', new Utf8(), true)];
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: 2, nullCount: 0, children: [ids.data[0]!, names.data[0]!] }),
  );
}

describe('encodePreviewRows', () => {
  it('maps, renames by the naming convention and keeps the exact JSON text for rest_api', () => {
    const config = new SinkConfig({
      sinkType: 'rest_api',
      fieldMapping: { 'Full Name': 'name' },
      connectionConfig: { naming_convention: 'snake_case', int64: 'string' },
    });
    const encoded = encodePreviewRows(config, batch(), 1);
    expect(encoded.json).toEqual(['{"customer_id":"9007199254740993","name":"Ann"}']);
    expect(encoded.rows).toEqual([{ customer_id: '9007199254740993', name: 'Ann' }]);
  });

  it('gives plain values for sql_database', () => {
    const config = new SinkConfig({
      sinkType: 'sql_database',
      fieldMapping: { 'Full Name': 'full_name' },
      connectionConfig: { table: 't' },
    });
    expect(encodePreviewRows(config, batch(), 5)).toEqual({
      rows: [
        { customerId: '9007199254740993', full_name: 'Ann' },
        { customerId: '2', full_name: null },
      ],
    });
  });
});
