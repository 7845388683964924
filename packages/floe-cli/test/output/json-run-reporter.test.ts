import { describe, expect, it } from '@jest/globals';
import { EgressResult, type EgressRecordError } from '@floe/core';
import type { DeliveryOutcome } from '../../src/egress/deliver.js';
import type { PreparedDestination } from '../../src/egress/prepare-destination.js';
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
});
