import { describe, expect, it } from '@jest/globals';
import { EgressResult, type EgressRecordError } from '@floe/core';
import type { DeliveryOutcome } from '../../src/egress/deliver.js';
import type { PreparedDestination } from '../../src/egress/prepare-destination.js';
import { describeIsolating } from '../../src/output/human-run-reporter.js';
import { JsonRunReporter } from '../../src/output/json-run-reporter.js';
import { Terminal } from '../../src/output/terminal.js';
import { Redactor } from '../../src/secrets/redactor.js';

const prepared = { planned: { name: 'crm' } } as unknown as PreparedDestination;

function outcome(
  status: DeliveryOutcome['status'],
  errors: EgressRecordError[],
  extra: Partial<DeliveryOutcome> = {},
): DeliveryOutcome {
  const receipt = new EgressResult({
    success: errors.length === 0,
    rowsDelivered: 3,
    bytesTransmitted: 1,
    durationSeconds: 0,
    checksum: 'a'.repeat(64),
    deliveryTimestamp: new Date(0),
    idempotencyKey: 'k',
    errors,
  });
  return { status, exitCode: 0, receipt, error: undefined, startedAt: new Date(0), finishedAt: new Date(0), ...extra };
}

function stderrOf(finished: DeliveryOutcome): string[] {
  const out: string[] = [];
  const err: string[] = [];
  const terminal = new Terminal(
    { write: (t: string) => void out.push(t) },
    { write: (t: string) => void err.push(t) },
    new Redactor(),
  );
  new JsonRunReporter(terminal).destinationFinished(prepared, finished, '/runs/r/crm.json');
  expect(JSON.parse(out.join(''))).toMatchObject({ event: 'receipt', destination: 'crm', status: finished.status });
  return err.join('').split('\n').filter(Boolean);
}

describe('JsonRunReporter', () => {
  it('says on stderr why a destination failed, even though the receipt is on stdout', () => {
    const failed = outcome('failed', [
      { message: 'bad email', category: 'PERMANENT', row: 0 },
      { message: 'HTTP 404 Not Found', category: 'CONFIGURATION', batch: 1, httpStatus: 404 },
    ]);
    expect(stderrOf(failed)).toEqual(['crm: failed (CONFIGURATION): HTTP 404 Not Found']);
  });

  it('counts rejected rows of a partial delivery and names the rejected-rows file', () => {
    const one = outcome('partial', [{ message: 'no', category: 'PERMANENT', row: 4 }], {
      rejected: { file: '/runs/r/crm.rejected.jsonl', rows: 1 },
    });
    expect(stderrOf(one)).toEqual(['crm: partial: 1 row rejected (/runs/r/crm.rejected.jsonl)']);
  });

  it('prints the --max-rejected stop instead of the abort it caused, and nothing for a delivery', () => {
    const stopped = outcome('failed', [{ message: 'the write was aborted: stopped…', category: 'TRANSIENT' }], {
      stopped: {
        reason: 'stopped by --max-rejected 0: 1 row rejected, more than the 0 allowed',
        maxRejected: '0',
        allowed: 0,
      },
    });
    expect(stderrOf(stopped)).toEqual(['crm: stopped by --max-rejected 0: 1 row rejected, more than the 0 allowed']);
    expect(stderrOf(outcome('delivered', []))).toEqual([]);
  });

  it('reports isolation as progress events: its start and end always, the reports between throttled', () => {
    const out: string[] = [];
    const terminal = new Terminal(
      { write: (t: string) => void out.push(t) },
      { write: () => undefined },
      new Redactor(),
    );
    let now = 0;
    const reporter = new JsonRunReporter(terminal, { now: () => now, intervalMs: 500 });
    const withRows = { ...prepared, rows: 10_000 } as PreparedDestination;
    const told = (rowsChecked: number, rejectedSoFar: number, at: number): void => {
      now = at;
      reporter.isolating(withRows, { kind: 'isolating', batchIndex: 3, rowsChecked, rowsTotal: 4_000, rejectedSoFar });
    };
    told(0, 0, 0); // start: always
    told(1_000, 700, 100); // 100 ms after the last one: left out
    told(2_000, 1_500, 600); // 600 ms after: reported
    told(3_000, 2_200, 700); // left out
    told(4_000, 2_900, 750); // end: always
    const events = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((event) => [event.event, event.destination, event.total])).toEqual(
      Array.from({ length: 3 }, () => ['progress', 'crm', 10_000]),
    );
    expect(events.map((event) => event.isolating)).toEqual([
      { batch: 3, rowsChecked: 0, rowsTotal: 4_000, rejectedSoFar: 0 },
      { batch: 3, rowsChecked: 2_000, rowsTotal: 4_000, rejectedSoFar: 1_500 },
      { batch: 3, rowsChecked: 4_000, rowsTotal: 4_000, rejectedSoFar: 2_900 },
    ]);
    expect(
      describeIsolating({
        kind: 'isolating',
        batchIndex: 3,
        rowsChecked: 4_000,
        rowsTotal: 10_000,
        rejectedSoFar: 2_900,
      }),
    ).toBe('isolating rejected rows of batch 3: 4,000/10,000 checked, 2,900 rejected');
  });
});
