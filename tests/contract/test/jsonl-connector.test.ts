import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SinkConfig,
  type SinkConnector,
  type DeliveryLedger,
  type DeliveryState,
  type LedgerBatch,
  type LedgerRun,
} from '@floe/core';
import { tableFromArrays } from 'apache-arrow';
import JsonlConnector from 'floe-sink-jsonl';
import basic from 'floe-sink-jsonl/basic';
import { describeSinkConnector } from '../src/index.js';

/** The rows of a JSON-lines file, the sink's `_floe_batch` tag dropped. */
function fileRows(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { _floe_batch: _batch, ...row } = JSON.parse(line) as Record<string, unknown>;
      return row;
    });
}

function factory(connector: () => SinkConnector, sinkType: string) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-jsonl-contract-'));
    const file = join(dir, 'contacts.jsonl');
    return {
      connector: connector(),
      config: new SinkConfig({ sinkType, name: 'contacts', connectionConfig: { file } }),
      readBack: async () => fileRows(file),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  };
}

// The reusable suite, applied to the third-party fixture exactly as its README tells a sink author to.
describeSinkConnector(
  factory(() => new JsonlConnector(), 'jsonl_file'),
  { recordIds: false, fieldMapping: true, emptyInput: true },
  { title: 'SinkConnector contract (floe-sink-jsonl: jsonl_file)' },
);
describeSinkConnector(
  factory(() => basic, 'jsonl_basic'),
  { recordIds: false, fieldMapping: false, emptyInput: true },
  { title: 'SinkConnector contract (floe-sink-jsonl/basic: jsonl_basic, the four methods only)' },
);

/** A delivery ledger in memory that "crashes" (throws) at one mark of one batch, as a SIGKILL would. */
function memoryLedger(crashAt: { mark: 'intended' | 'committed'; batch: number } | undefined) {
  const committed = new Map<number, LedgerBatch & { rowsDelivered: number; rowsRejected: number }>();
  const intended = new Map<number, LedgerBatch>();
  const ledger = {
    location: 'memory',
    inTransaction: false,
    markIntended: async (_run: string, batch: LedgerBatch) => {
      intended.set(batch.batchIndex, batch);
      if (crashAt?.mark === 'intended' && crashAt.batch === batch.batchIndex) throw new Error('killed');
    },
    markCommitted: async (_run: string, batch: LedgerBatch & { rowsDelivered: number; rowsRejected: number }) => {
      if (crashAt?.mark === 'committed' && crashAt.batch === batch.batchIndex) throw new Error('killed');
      intended.delete(batch.batchIndex);
      committed.set(batch.batchIndex, batch);
    },
  } as unknown as DeliveryLedger;
  const state = (): DeliveryState => ({
    ledger,
    state: {
      run: { runId: 'run-1', runKey: 'a'.repeat(64), snapshotId: null } as LedgerRun,
      resumed: true,
      committed: new Map(committed),
      intended: new Map(intended),
      partial: new Map(),
    },
  });
  return { state, committed };
}

describe('floe-sink-jsonl resumes exactly once', () => {
  const ids = Array.from({ length: 10 }, (_, i) => i + 1);
  const table = () => tableFromArrays({ id: Int32Array.from(ids), name: ids.map((i) => `row ${i}`) });

  for (const [label, crashAt, tear] of [
    ['intended, nothing written', { mark: 'intended', batch: 1 }, 0],
    ['written and fsynced, not committed', { mark: 'committed', batch: 1 }, 0],
    ['written in part (a torn line), not committed', { mark: 'committed', batch: 1 }, 7],
    ['written in part (whole lines), not committed', { mark: 'committed', batch: 1 }, 'lines'],
  ] as const) {
    it(`batch 1 ${label}: the rerun leaves every row once`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'floe-jsonl-resume-'));
      try {
        const file = join(dir, 'rows.jsonl');
        const connector = new JsonlConnector();
        const config = new SinkConfig({
          sinkType: 'jsonl_file',
          name: 'rows',
          batchSize: 4,
          connectionConfig: { file },
        });
        const ledger = memoryLedger(crashAt);
        const first = await connector.write(await connector.createSink(config), table(), { delivery: ledger.state() });
        expect(first.success).toBe(false);
        // A crash mid-write leaves part of the batch: cut the file `tear` bytes short, or after its 6th line.
        if (tear === 'lines')
          truncateSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 6).join('\n').length + 1);
        else if (tear > 0) truncateSync(file, statSync(file).size - tear);

        const resumed = memoryLedger(undefined);
        const again = ledger.state();
        const second = await connector.write(await connector.createSink(config), table(), {
          delivery: { ...again, ledger: resumed.state().ledger },
        });
        expect(second).toMatchObject({ success: true, rowsDelivered: 6 });
        expect(fileRows(file)).toEqual(ids.map((id) => ({ id, name: `row ${id}` })));
        expect([...resumed.committed.keys()]).toEqual([1, 2]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
