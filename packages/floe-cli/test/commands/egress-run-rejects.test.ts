import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int32, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { EgressResult, type EgressRecordError, type Sink, type WriteOptions } from '@floe/core';
import type { CliContext } from '../../src/context.js';
import type { EgressEngine } from '../../src/egress/engine.js';
import { runCli } from '../../src/program.js';

const SPEC = `apiVersion: floe.dev/v1
kind: FloeSpec
metadata: { name: unit, version: 1.0.0 }
transforms: [{ name: m }]
destinations:
  - name: crm
    sink_type: rest_api
    connection_secret_ref: crm
    source_table: data/t
    field_mapping: { id: contact_id }
    config: { url: "https://api.example.com/x" }
`;

function batch(ids: number[]): RecordBatch {
  const field = new Field('id', new Int32(), false);
  const child = makeData({ type: new Int32(), length: ids.length, nullCount: 0, data: Int32Array.from(ids) });
  return new RecordBatch(
    new Schema([field]),
    makeData({ type: new Struct([field]), length: ids.length, nullCount: 0, children: [child] }),
  );
}

/**
 * An engine whose sink rejects even ids, reports each batch like the dlt plugin does (onRejected, then
 * onProgress) and stops between batches once its signal is aborted. It records the batches it saw.
 */
function rejectingEngine(seen: number[][]): EgressEngine {
  return {
    sinks: [{ sinkType: 'rest_api' }],
    plugins: [],
    problems: [],
    descriptor: (sinkType) => (sinkType === 'rest_api' ? { sinkType } : undefined),
    describeDelivery: () => undefined,
    resumable: () => false,
    createSink: async (config) => ({ sinkType: config.sinkType, name: config.name, close: async () => {} }) as Sink,
    write: async (_sink, data, options: WriteOptions) => {
      const errors: EgressRecordError[] = [];
      let firstRow = 0;
      let delivered = 0;
      let batchIndex = 0;
      for await (const b of data as AsyncIterable<RecordBatch>) {
        if (options.signal?.aborted) {
          errors.push({
            message: `the write was aborted: ${(options.signal.reason as Error).message}`,
            category: 'TRANSIENT',
          });
          break;
        }
        const ids = b.toArray().map((row) => (row.toJSON() as { id: number }).id);
        seen.push(ids);
        const rejected = ids.flatMap((id, i) =>
          id % 2 === 0
            ? [
                {
                  message: `id ${id} is even`,
                  category: 'PERMANENT' as const,
                  row: firstRow + i,
                  batch: batchIndex,
                  httpStatus: 422,
                },
              ]
            : [],
        );
        errors.push(...rejected);
        delivered += ids.length - rejected.length;
        if (rejected.length > 0) options.onRejected?.({ batchIndex, firstRow, batch: b, errors: rejected });
        options.onProgress?.({
          rowsDelivered: delivered,
          rowsRejected: errors.length,
          batchesCompleted: batchIndex + 1,
          bytesTransmitted: 0,
        });
        firstRow += ids.length;
        batchIndex += 1;
      }
      return new EgressResult({
        success: errors.length === 0,
        rowsDelivered: delivered,
        bytesTransmitted: 0,
        durationSeconds: 0,
        checksum: 'a'.repeat(64),
        deliveryTimestamp: new Date(0),
        idempotencyKey: 'k',
        errors,
      });
    },
    openSource: async () => ({
      label: 'data/t',
      schema: batch([]).schema,
      snapshotId: '42',
      snapshotTimestamp: undefined,
      count: async () => 6,
      batches: async function* () {
        yield batch([1, 2]);
        yield batch([3, 4]);
        yield batch([5, 6]);
      },
    }),
    // as a JSON sink would: mapped names, JSON text
    encodeRows: (_config, b, limit) => {
      const rows = b
        .toArray()
        .slice(0, limit)
        .map((row) => ({ contact_id: (row.toJSON() as { id: number }).id }));
      return { rows, json: rows.map((row) => JSON.stringify(row)) };
    },
    close: async () => {},
  };
}

describe('egress run: rejected rows', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  let seen: number[][];
  const ctx = (tty = false): CliContext => ({
    cwd: dir,
    env: { FLOE_SECRET_CRM_TOKEN: 'tok-unit' },
    stdout: { write: (text: string) => void out.push(text), isTTY: tty },
    stderr: { write: (text: string) => void err.push(text) },
    secrets: { env: { FLOE_SECRET_CRM_TOKEN: 'tok-unit' }, readFile: () => undefined, listDir: () => undefined },
    createEngine: async () => rejectingEngine(seen),
    signal: new AbortController().signal,
    now: () => new Date('2025-01-02T03:04:05Z'),
  });
  const runDir = (): string => {
    const runs = join(dir, '.floe', 'runs');
    return join(runs, readdirSync(runs)[0] as string);
  };
  const receiptFile = () => JSON.parse(readFileSync(join(runDir(), 'crm.json'), 'utf8')) as Record<string, unknown>;
  const rejectedLines = () =>
    readFileSync(join(runDir(), 'crm.rejected.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-rejects-'));
    writeFileSync(join(dir, 'floe.yaml'), SPEC);
    out = [];
    err = [];
    seen = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each rejected row, with its reason and its values as sent, beside the receipt, and exits 2', async () => {
    expect(await runCli(['egress', 'run', '--json'], ctx())).toBe(2);
    expect(rejectedLines()).toEqual(
      [2, 4, 6].map((id, k) => ({
        row: 2 * k + 1,
        batch: k,
        key: null,
        reason: `id ${id} is even`,
        category: 'PERMANENT',
        httpStatus: 422,
        values: { contact_id: id },
      })),
    );
    expect(receiptFile()).toMatchObject({
      status: 'partial',
      exitCode: 2,
      rejected: { file: 'crm.rejected.jsonl', rows: 3 },
      receipt: { rowsDelivered: 3, rowsRejected: 3 },
    });
    const receiptEvent =
      out
        .join('')
        .split('\n')
        .find((line) => line.includes('"event":"receipt"')) ?? '';
    expect(JSON.parse(receiptEvent)).toMatchObject({
      rejected: { file: join(runDir(), 'crm.rejected.jsonl'), rows: 3 },
    });
  });

  it('stops the destination after the batch that exceeds --max-rejected, exits 1 and says what was delivered', async () => {
    expect(await runCli(['egress', 'run', '--json', '--max-rejected', '1'], ctx())).toBe(1);
    expect(seen).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const reason = 'stopped by --max-rejected 1: 2 rows rejected, more than the 1 allowed; no further batch was sent';
    expect(err.join('')).toContain(`crm: ${reason}`);
    expect(receiptFile()).toMatchObject({
      status: 'failed',
      exitCode: 1,
      stopped: { reason, maxRejected: '1', allowed: 1 },
      rejected: { file: 'crm.rejected.jsonl', rows: 2 },
      receipt: { rowsDelivered: 2, rowsRejected: 2 },
    });
    expect(rejectedLines().map((line) => line.row)).toEqual([1, 3]);
  });

  it('counts a percentage against the source rows and prints the file and the stop on a terminal', async () => {
    expect(await runCli(['egress', 'run', '--max-rejected', '34%'], ctx(true))).toBe(1);
    expect(seen).toHaveLength(3); // 34% of 6 rows = 2 allowed: the third rejected row (last batch) exceeds it
    const text = out.join('');
    expect(text).toMatch(/rejected rows .*crm\.rejected\.jsonl \(3\)/);
    expect(err.join('')).toContain(
      'stopped by --max-rejected 34%: 3 rows rejected, more than the 2 allowed (34% of the source rows)',
    );
  });

  it('refuses a malformed --max-rejected before anything runs', async () => {
    expect(await runCli(['egress', 'run', '--max-rejected', '5 rows'], ctx())).toBe(3);
    expect(err.join('')).toContain(
      'expected a number of rows (e.g. 100) or a percentage of the source rows (e.g. 1%), got "5 rows"',
    );
    expect(existsSync(join(dir, '.floe'))).toBe(false);
    expect(seen).toEqual([]);
  });
});
