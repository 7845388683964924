import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32, makeData, RecordBatch, Schema, Field, Struct } from 'apache-arrow';
import { EgressResult, type EgressData, type Sink, type SinkConfig, type WriteOptions } from '@floe/core';
import type { CliContext } from '../src/context.js';
import type { EgressEngine, SourceTable } from '../src/egress/engine.js';
import { runCli } from '../src/program.js';

const SPEC = `apiVersion: floe.dev/v1
kind: FloeSpec
metadata: { name: unit, version: 1.0.0 }
transforms: [{ name: m }]
destinations:
  - name: crm
    sink_type: rest_api
    connection_secret_ref: crm
    source_table: data/t
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

const receipt = (init: Partial<ConstructorParameters<typeof EgressResult>[0]>) =>
  new EgressResult({
    success: true,
    rowsDelivered: 2,
    bytesTransmitted: 10,
    durationSeconds: 0.1,
    checksum: 'a'.repeat(64),
    deliveryTimestamp: new Date(0),
    idempotencyKey: 'k',
    ...init,
  });

function fakeEngine(
  write: (data: EgressData, options: WriteOptions) => Promise<EgressResult>,
  calls: string[],
): EgressEngine {
  const source: SourceTable = {
    label: 'data/t',
    schema: batch([]).schema,
    snapshotId: '42',
    snapshotTimestamp: undefined,
    count: async () => 2,
    batches: async function* () {
      yield batch([1, 2]);
    },
  };
  return {
    sinks: [{ sinkType: 'rest_api' }],
    plugins: [],
    problems: [],
    descriptor: (sinkType) => (sinkType === 'rest_api' ? { sinkType } : undefined),
    describeDelivery: () => undefined,
    resumable: () => false,
    createSink: async (config: SinkConfig) => {
      calls.push(`create ${config.name} token=${String(config.connectionConfig.token)}`);
      return {
        sinkType: config.sinkType,
        name: config.name,
        close: async () => void calls.push('close sink'),
      } satisfies Sink;
    },
    write: async (_sink, data, options) => write(data, options),
    openSource: async (ref) => {
      calls.push(`open ${ref.kind} ${ref.written}`);
      return source;
    },
    encodeRows: (_config, b) => ({ rows: b.toArray().map((row) => ({ ...row.toJSON() })) }),
    close: async () => void calls.push('close engine'),
  };
}

function context(
  dir: string,
  engine: EgressEngine,
  env: Record<string, string>,
): { context: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    context: {
      cwd: dir,
      env,
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      secrets: { env, readFile: () => undefined, listDir: () => undefined },
      createEngine: async () => engine,
      signal: new AbortController().signal,
      now: () => new Date('2025-01-02T03:04:05Z'),
    },
  };
}

describe('runCli', () => {
  it('runs egress with injected streams, secrets and engine: no module mocks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-unit-'));
    try {
      writeFileSync(join(dir, 'floe.yaml'), SPEC);
      const calls: string[] = [];
      const engine = fakeEngine(async (data) => {
        let rows = 0;
        for await (const b of data as AsyncIterable<RecordBatch>) rows += b.numRows;
        return receipt({ rowsDelivered: rows });
      }, calls);
      const { context: ctx, out } = context(dir, engine, { FLOE_SECRET_CRM_TOKEN: 'tok-unit-secret' });
      expect(await runCli(['egress', 'run', '--json'], ctx)).toBe(0);
      expect(calls).toEqual([`open location data/t`, 'create crm token=tok-unit-secret', 'close sink', 'close engine']);
      const events = out
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(events.map((e) => e.event)).toEqual(['run.started', 'destination.started', 'receipt', 'run.finished']);
      expect(events[0]?.runId).toMatch(/^20250102T030405Z-[0-9a-f]{6}$/);
      expect(out.join('')).not.toContain('tok-unit-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns a write that throws into a failed receipt with the error, redacted, and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-unit-'));
    try {
      writeFileSync(join(dir, 'floe.yaml'), SPEC);
      const engine = fakeEngine(async () => {
        throw Object.assign(new Error('socket hang up while sending tok-unit-secret'), { category: 'TRANSIENT' });
      }, []);
      const { context: ctx, out, err } = context(dir, engine, { FLOE_SECRET_CRM_TOKEN: 'tok-unit-secret' });
      expect(await runCli(['egress', 'run'], ctx)).toBe(1);
      const text = out.join('') + err.join('');
      expect(text).toContain('socket hang up while sending ***');
      expect(text).not.toContain('tok-unit-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the plan: a sink is created only to read the sync state, and closed; nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-unit-'));
    try {
      writeFileSync(join(dir, 'floe.yaml'), SPEC);
      const calls: string[] = [];
      const { context: ctx, out } = context(
        dir,
        fakeEngine(async () => (calls.push('write'), receipt({})), calls),
        { FLOE_SECRET_CRM_TOKEN: 'tok-unit-secret' },
      );
      expect(await runCli(['egress', 'plan'], ctx)).toBe(0);
      expect(calls).toEqual(['open location data/t', 'create crm token=tok-unit-secret', 'close sink', 'close engine']);
      expect(calls.filter((call) => call.startsWith('write'))).toEqual([]);
      expect(out.join('')).toContain('rows:        2 in 1 batch (all rows at once)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
