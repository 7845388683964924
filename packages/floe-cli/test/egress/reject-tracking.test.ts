import { describe, expect, it } from '@jest/globals';
import { EgressResult, type RejectedRows } from '@floe/core';
import { Field, Int32, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { parseMaxRejected } from '../../src/egress/max-rejected.js';
import { RejectTracking } from '../../src/egress/reject-tracking.js';
import { RejectedRowsFile } from '../../src/egress/rejected-rows-file.js';
import { Redactor } from '../../src/secrets/redactor.js';

const field = new Field('id', new Int32(), false);
const batch = new RecordBatch(
  new Schema([field]),
  makeData({
    type: new Struct([field]),
    length: 2,
    nullCount: 0,
    children: [makeData({ type: new Int32(), length: 2, nullCount: 0, data: Int32Array.from([1, 2]) })],
  }),
);

function file(fail = false) {
  const text: string[] = [];
  const rows = new RejectedRowsFile('/r/d.rejected.jsonl', () => '{}', new Redactor(), {
    mkdir: () => undefined,
    append: (_path, chunk) => {
      if (fail) throw new Error('ENOSPC: no space left on device');
      text.push(chunk);
    },
  });
  return { rows, text };
}

const progress = (rowsRejected: number) => ({
  rowsDelivered: 0,
  rowsRejected,
  batchesCompleted: 1,
  bytesTransmitted: 0,
});
const rejected: RejectedRows = {
  batchIndex: 0,
  firstRow: 0,
  batch,
  errors: [{ message: 'no', category: 'PERMANENT', row: 1, batch: 0 }],
};

describe('RejectTracking', () => {
  it('aborts its signal once more rows are rejected than --max-rejected allows, and says so', () => {
    const tracking = new RejectTracking(file().rows, { max: parseMaxRejected('25%'), sourceRows: 8 });
    tracking.onProgress(progress(2));
    expect(tracking.signal.aborted).toBe(false);
    tracking.onProgress(progress(3));
    expect(tracking.signal.aborted).toBe(true);
    const reason =
      'stopped by --max-rejected 25%: 3 rows rejected, more than the 2 allowed (25% of the source rows); no further batch was sent';
    expect((tracking.signal.reason as Error).message).toBe(reason);
    expect(tracking.finish(undefined).stopped).toEqual({ reason, maxRejected: '25%', allowed: 2 });
  });

  it('never stops without --max-rejected, and sums up the rejected-rows file', () => {
    const { rows, text } = file();
    const tracking = new RejectTracking(rows, { sourceRows: 2 });
    tracking.onRejected(rejected);
    tracking.onProgress(progress(1_000));
    expect(tracking.signal.aborted).toBe(false);
    expect(tracking.finish(undefined)).toEqual({ rejected: { file: '/r/d.rejected.jsonl', rows: 1 } });
    expect(text).toHaveLength(1);
    expect(new RejectTracking(file().rows, { sourceRows: 2 }).finish(undefined)).toEqual({});
  });

  it('reports a rejected-rows file it could not write instead of failing the delivery', () => {
    const tracking = new RejectTracking(file(true).rows, { sourceRows: 2 });
    expect(() => tracking.onRejected(rejected)).not.toThrow();
    const receipt = new EgressResult({
      success: false,
      rowsDelivered: 1,
      bytesTransmitted: 1,
      durationSeconds: 0,
      checksum: 'a'.repeat(64),
      deliveryTimestamp: new Date(0),
      idempotencyKey: 'k',
      errors: [{ message: 'no', category: 'PERMANENT', row: 1, batch: 0 }],
    });
    expect(tracking.finish(receipt)).toEqual({
      rejected: { file: '/r/d.rejected.jsonl', rows: 0, error: 'ENOSPC: no space left on device' },
    });
  });
});
