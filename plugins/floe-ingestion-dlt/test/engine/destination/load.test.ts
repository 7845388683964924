import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { EMPTY_CHECKSUM, isFloeError } from '@floe/core';
import type { RecordBatch } from 'apache-arrow';
import { Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import { captureSpans, type MemorySpans } from '@floe/test-harness';
import { destination, loadToDestination, type BatchContext, type Row, type TableSchema } from '../../../src/index.js';
import { encodeJsonArray } from '../../../src/engine/encoding/index.js';
import { isSinkConfigurationError } from '../../../src/errors/index.js';
import { splitTable, tableOf } from '../../helpers/arrow.js';
import { delay, sha256Of, spy } from '../../helpers/sha.js';

function people(n: number): Table {
  return tableOf({
    customerId: vectorFromArray(
      Array.from({ length: n }, (_, i) => i + 1),
      new Int32(),
    ),
    'Email Address': vectorFromArray(
      Array.from({ length: n }, (_, i) => `p${i + 1}@x.io`),
      new Utf8(),
    ),
  });
}

async function* stream(batches: readonly RecordBatch[], failAfter?: number): AsyncGenerator<RecordBatch> {
  let k = 0;
  for (const batch of batches) {
    if (failAfter !== undefined && k === failAfter) throw new Error('source read failed');
    k += 1;
    yield batch;
  }
}

describe('loadToDestination', () => {
  let spans: MemorySpans;
  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(() => spans.reset());

  it('hands renamed batches of batchSize rows to the function in order and returns the receipt', async () => {
    const calls: { index: number; firstRow: number; rows: Row[]; table: TableSchema }[] = [];
    const events: string[] = [];
    const dest = destination<'rows'>(
      (rows, table, context) => {
        calls.push({ index: context.index, firstRow: context.firstRow, rows, table });
        context.addPayload(JSON.stringify(rows));
        return { recordIds: rows.map((row) => `id-${String(row.id)}`) };
      },
      {
        name: 'people',
        batchSize: 2,
        loaderFileFormat: 'rows',
        namingConvention: 'snake_case',
        primaryKey: ['id'],
        hooks: {
          open: async ({ table }) => void events.push(`open:${table.columns.map((c) => c.name).join(',')}`),
          commit: async () => void events.push('commit'),
          rollback: async () => void events.push('rollback'),
        },
      },
    );
    const progress: number[] = [];
    const receipt = await loadToDestination(dest, people(5), {
      fieldMapping: { customerId: 'id' },
      onProgress: (p) => progress.push(p.rowsDelivered),
    });
    expect(events).toEqual(['open:id,email_address', 'commit']);
    expect(calls.map((c) => [c.index, c.firstRow, c.rows.length])).toEqual([
      [0, 0, 2],
      [1, 2, 2],
      [2, 4, 1],
    ]);
    expect(calls[0]?.rows).toEqual([
      { id: 1, email_address: 'p1@x.io' },
      { id: 2, email_address: 'p2@x.io' },
    ]);
    expect(calls[0]?.table.columns.map((c) => [c.name, c.sourceName, c.primaryKey])).toEqual([
      ['id', 'customerId', true],
      ['email_address', 'Email Address', false],
    ]);
    expect(progress).toEqual([2, 4, 5]);
    expect(receipt.success).toBe(true);
    expect(receipt.status).toBe('delivered');
    expect(receipt.rowsDelivered).toBe(5);
    expect(receipt.destinationRecordIds).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5']);
    const payloads = calls.map((c) => JSON.stringify(c.rows));
    expect(receipt.bytesTransmitted).toBe(payloads.reduce((sum, p) => sum + Buffer.byteLength(p), 0));
    expect(receipt.checksum).toBe(sha256Of(payloads));
    expect(receipt.deliveryTimestamp).toMatch(/Z$/);
  });

  it('runs up to maxParallelLoadJobs batches at once and folds results in batch order', async () => {
    let running = 0;
    let peak = 0;
    const payloads: string[] = [];
    const dest = destination(
      async (batch, _table, context) => {
        running += 1;
        peak = Math.max(peak, running);
        const body = encodeJsonArray(batch);
        payloads[context.index] = body;
        await delay((5 - context.index) * 4); // later batches finish first
        context.addPayload(body);
        running -= 1;
        return { recordIds: [`b${context.index}`] };
      },
      { name: 'parallel', batchSize: 1, maxParallelLoadJobs: 3 },
    );
    const receipt = await loadToDestination(dest, people(5));
    expect(peak).toBe(3);
    expect(receipt.destinationRecordIds).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(receipt.checksum).toBe(sha256Of(payloads));
    expect(receipt.rowsDelivered).toBe(5);
  });

  it('reports rejected rows with their source position and still counts delivered rows', async () => {
    const dest = destination(
      (_batch, _table, context) =>
        context.index === 1 ? { rejected: [{ index: 1, message: 'bad email', key: 'p4' }] } : undefined,
      { batchSize: 2 },
    );
    const receipt = await loadToDestination(dest, people(5));
    expect(receipt.success).toBe(false);
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(4);
    expect(receipt.rowsRejected).toBe(1);
    expect(receipt.errors).toEqual([{ message: 'bad email', category: 'PERMANENT', row: 3, batch: 1, key: 'p4' }]);
  });

  it('hands each batch with rejected rows to onRejected, in batch order, with source column names, before its progress', async () => {
    const events: string[] = [];
    const seen: { batchIndex: number; firstRow: number; columns: string[]; rows: unknown[]; errors: unknown[] }[] = [];
    const dest = destination(
      (batch, _table, context) => {
        expect(batch.schema.fields.map((f) => f.name)).toEqual(['customer_id', 'email']);
        if (context.index === 0) return { rejected: [{ index: 1, message: 'bad email', key: 'p2' }] };
        if (context.index === 2) return { rejected: [{ index: 0, message: 'taken', httpStatus: 409 }] };
        return undefined;
      },
      { batchSize: 3, namingConvention: 'snake_case' },
    );
    // input batches of 2, 4 and 1 rows: the load's batches of 3 are slices and joins of them
    const receipt = await loadToDestination(dest, stream(splitTable(people(7), [2, 6])), {
      fieldMapping: { 'Email Address': 'email' },
      onProgress: (p) => events.push(`progress:${p.batchesCompleted}`),
      onRejected: (rejected) => {
        events.push(`rejected:${rejected.batchIndex}`);
        seen.push({
          batchIndex: rejected.batchIndex,
          firstRow: rejected.firstRow,
          columns: rejected.batch.schema.fields.map((f) => f.name),
          rows: rejected.errors.map((e) => rejected.batch.get((e.row as number) - rejected.firstRow)?.toJSON()),
          errors: [...rejected.errors],
        });
      },
    });
    expect(events).toEqual(['rejected:0', 'progress:1', 'progress:2', 'rejected:2', 'progress:3']);
    expect(seen).toEqual([
      {
        batchIndex: 0,
        firstRow: 0,
        columns: ['customerId', 'Email Address'],
        rows: [{ customerId: 2, 'Email Address': 'p2@x.io' }],
        errors: [{ message: 'bad email', category: 'PERMANENT', row: 1, batch: 0, key: 'p2' }],
      },
      {
        batchIndex: 2,
        firstRow: 6,
        columns: ['customerId', 'Email Address'],
        rows: [{ customerId: 7, 'Email Address': 'p7@x.io' }],
        errors: [{ message: 'taken', category: 'PERMANENT', row: 6, batch: 2, httpStatus: 409 }],
      },
    ]);
    expect(receipt.errors).toEqual([...seen[0]!.errors, ...seen[1]!.errors]);
    expect(receipt.rowsDelivered).toBe(5);
  });

  it('ignores an onRejected callback that throws and still reports progress', async () => {
    const progress: number[] = [];
    const receipt = await loadToDestination(
      destination(() => ({ rejected: [{ index: 0, message: 'no' }] }), { batchSize: 2 }),
      people(3),
      {
        onRejected: () => {
          throw new Error('disk full');
        },
        onProgress: (p) => progress.push(p.rowsRejected),
      },
    );
    expect(progress).toEqual([1, 2]);
    expect(receipt.rowsRejected).toBe(2);
    expect(receipt.status).toBe('partial');
  });

  it('stops at a batch that throws, rolls back and returns a failed receipt with its category', async () => {
    const seen: number[] = [];
    let rolledBack: unknown;
    const dest = destination(
      (_batch, _table, context) => {
        seen.push(context.index);
        if (context.index === 1)
          throw Object.assign(new Error('HTTP 503 from https://user:hunter2@api.example.com'), { statusCode: 503 });
      },
      { batchSize: 2, hooks: { rollback: async (_c, error) => void (rolledBack = error) } },
    );
    const receipt = await loadToDestination(dest, people(6));
    expect(seen).toEqual([0, 1]);
    expect(rolledBack).toBeInstanceOf(Error);
    expect(receipt.status).toBe('failed');
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors).toEqual([
      { message: 'HTTP 503 from https://[redacted]@api.example.com', category: 'TRANSIENT', batch: 1, httpStatus: 503 },
    ]);
  });

  it('counts batches already in flight when another fails', async () => {
    const dest = destination(
      async (_batch, _table, context) => {
        if (context.index === 0) {
          await delay(5);
          throw new Error('first fails');
        }
        await delay(30);
      },
      { batchSize: 1, maxParallelLoadJobs: 2 },
    );
    const receipt = await loadToDestination(dest, people(4));
    expect(receipt.rowsDelivered).toBe(1);
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]?.batch).toBe(0);
  });

  it('stops between batches on abort, rolls back, and reports what was delivered', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const dest = destination(
      (_batch, _table, context) => {
        events.push(`batch${context.index}`);
        if (context.index === 1) controller.abort(new Error('user cancelled'));
      },
      {
        batchSize: 1,
        hooks: { rollback: async () => void events.push('rollback'), commit: async () => void events.push('commit') },
      },
    );
    const receipt = await loadToDestination(dest, people(4), { signal: controller.signal });
    expect(events).toEqual(['batch0', 'batch1', 'rollback']);
    expect(receipt.success).toBe(false);
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors[0]).toMatchObject({ category: 'TRANSIENT' });
    expect(receipt.errors[0]?.message).toMatch(/aborted: user cancelled/);
  });

  it('throws a configuration error naming every bad mapping before anything is sent', async () => {
    const fn = spy();
    const open = spy(async () => {});
    const dest = destination(fn, { primaryKey: ['nope'], namingConvention: 'snake_case', hooks: { open } });
    const error = await loadToDestination(dest, people(3), {
      fieldMapping: { missing: 'x', customerId: 'email_address' },
    }).catch((e: unknown) => e);
    expect(isSinkConfigurationError(error)).toBe(true);
    expect(isFloeError(error) && error.category).toBe('CONFIGURATION');
    const issues = isSinkConfigurationError(error) ? error.issues.map((issue) => issue.path) : [];
    expect(issues).toEqual(['field_mapping.missing', 'field_mapping.Email Address', 'primary_key[0]']);
    expect(fn.calls).toHaveLength(0);
    expect(open.calls).toHaveLength(0);
  });

  it('throws for data that is not Arrow and for an invalid batch size', async () => {
    const dest = destination(() => undefined);
    await expect(loadToDestination(dest, 42 as never)).rejects.toThrow(/Arrow Table or an iterable/);
    await expect(loadToDestination(dest, [{ not: 'a batch' }] as never)).rejects.toThrow(/RecordBatch/);
    await expect(loadToDestination(dest, people(1), { batchSize: -1 })).rejects.toThrow(/batchSize/);
  });

  it('succeeds with zero rows and sends nothing for empty input', async () => {
    const fn = spy();
    const events: string[] = [];
    const dest = destination(fn, {
      hooks: { open: async () => void events.push('open'), commit: async () => void events.push('commit') },
    });
    for (const data of [people(0), stream([]), []]) {
      const receipt = await loadToDestination(dest, data);
      expect(receipt.success).toBe(true);
      expect(receipt.rowsDelivered).toBe(0);
      expect(receipt.bytesTransmitted).toBe(0);
      expect(receipt.checksum).toBe(EMPTY_CHECKSUM);
    }
    expect(fn.calls).toHaveLength(0);
    expect(events).toEqual(['open', 'commit', 'open', 'commit', 'open', 'commit']);
  });

  it('derives the same idempotency keys for the same data and destination however it is chunked', async () => {
    const keys: string[][] = [[], [], [], []];
    const run = async (
      slot: number,
      data: Table | AsyncIterable<RecordBatch>,
      identity: string,
      idempotencyKey?: string,
    ) => {
      const dest = destination((_b, _t, context: BatchContext) => void keys[slot]!.push(context.idempotencyKey), {
        batchSize: 2,
        identity,
      });
      return loadToDestination(dest, data, idempotencyKey === undefined ? {} : { idempotencyKey });
    };
    const a = await run(0, people(5), 'rest_api:POST https://x');
    const b = await run(1, stream(splitTable(people(5), [1, 3])), 'rest_api:POST https://x');
    const c = await run(2, people(5), 'rest_api:POST https://y');
    const d = await run(3, people(5), 'rest_api:POST https://x', 'resume-42');
    expect(a.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(b.idempotencyKey).toBe(a.idempotencyKey);
    expect(keys[1]).toEqual(keys[0]);
    expect(new Set(keys[0]).size).toBe(3);
    expect(c.idempotencyKey).not.toBe(a.idempotencyKey);
    expect(keys[2]![0]).not.toBe(keys[0]![0]);
    expect(d.idempotencyKey).toBe('resume-42');
    expect(keys[3]![0]).not.toBe(keys[0]![0]);
  });

  it('rolls back when commit fails, and reports nothing delivered when the rollback discards the load', async () => {
    const dest = destination(() => undefined, {
      batchSize: 2,
      hooks: {
        commit: async () => {
          throw Object.assign(new Error('swap failed'), { code: '40001' });
        },
        rollback: async () => ({ discarded: 'all' as const }),
      },
    });
    const receipt = await loadToDestination(dest, people(3));
    expect(receipt.status).toBe('failed');
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.errors).toEqual([{ message: 'swap failed', category: 'TRANSIENT' }]);
  });

  it('returns a failed receipt when open fails, without calling the function', async () => {
    const fn = spy();
    const dest = destination(fn, {
      hooks: {
        open: async () => {
          throw Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
        },
        rollback: async () => {
          throw new Error('rollback must not throw, but this one does');
        },
      },
    });
    const receipt = await loadToDestination(dest, people(2));
    expect(fn.calls).toHaveLength(0);
    expect(receipt.errors).toEqual([{ message: 'relation "x" does not exist', category: 'CONFIGURATION' }]);
  });

  it('returns a receipt when the source fails after sending, and throws when it fails before', async () => {
    const dest = destination(() => undefined, { batchSize: 1 });
    const pieces = splitTable(people(3), [1, 2]);
    const receipt = await loadToDestination(dest, stream(pieces, 2));
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors).toEqual([{ message: 'source read failed', category: 'PERMANENT', batch: 2 }]);
    const big = destination(() => undefined, { batchSize: 10 });
    await expect(loadToDestination(big, stream(pieces, 1))).rejects.toThrow('source read failed');
  });

  it('fails the load when the stream changes schema', async () => {
    const other = tableOf({ other: vectorFromArray([1], new Int32()) }).batches[0]!;
    const dest = destination(() => undefined, { batchSize: 1 });
    const receipt = await loadToDestination(dest, stream([people(1).batches[0]!, other]));
    expect(receipt.status).toBe('failed');
    expect(receipt.errors[0]?.message).toMatch(/changed schema mid-stream/);
    expect(receipt.errors[0]?.category).toBe('CONFIGURATION');
  });

  it('fails a batch whose outcome names rows it does not have', async () => {
    const dest = destination(() => ({ rejected: [{ index: 7, message: 'x' }] }), { batchSize: 2 });
    const receipt = await loadToDestination(dest, people(2));
    expect(receipt.errors[0]?.message).toMatch(/rejected index 7 is outside 0..1/);
    const twice = destination(
      () => ({
        rejected: [
          { index: 0, message: 'x' },
          { index: 0, message: 'y' },
        ],
      }),
      { batchSize: 2 },
    );
    expect((await loadToDestination(twice, people(2))).errors[0]?.message).toMatch(/rejected twice/);
    const odd = destination(() => 'nonsense' as never, { batchSize: 2 });
    expect((await loadToDestination(odd, people(2))).errors[0]?.message).toMatch(/expected an object/);
  });

  it('ignores a progress callback that throws', async () => {
    const receipt = await loadToDestination(
      destination(() => undefined),
      people(3),
      {
        onProgress: () => {
          throw new Error('boom');
        },
      },
    );
    expect(receipt.success).toBe(true);
  });

  it('emits a load span with a child span per batch', async () => {
    const dest = destination((_b, _t, context) => void context.addPayload('xy'), {
      name: 'traced',
      sinkType: 'custom',
      batchSize: 2,
    });
    await loadToDestination(dest, people(3));
    const [load] = spans.named('sink.load');
    const batches = spans.named('sink.batch');
    expect(load?.attributes).toMatchObject({
      'sink.type': 'custom',
      'sink.destination': 'traced',
      'sink.rows_written': 3,
      'sink.status': 'delivered',
      'sink.bytes_transmitted': 4,
    });
    expect(typeof load?.attributes['sink.duration_ms']).toBe('number');
    expect(
      batches.map((span) => [
        span.attributes['sink.batch.index'],
        span.attributes['sink.batch.rows'],
        span.attributes['sink.rows_written'],
      ]),
    ).toEqual([
      [0, 2, 2],
      [1, 1, 1],
    ]);
    for (const span of batches) expect(span.parentSpanContext?.spanId).toBe(load?.spanContext().spanId);
  });
});
