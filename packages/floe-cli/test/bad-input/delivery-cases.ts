import { expect } from '@jest/globals';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedResponse } from '@floe/test-harness';
import {
  acceptedText,
  expectNoDelivery,
  expectWrittenAsReceipt,
  NULLS,
  onlyReceipt,
  ORDERS,
  rejectedLines,
  restDestination,
  secretsEnv,
  spec,
  sqlDestination,
  tableRows,
  tableText,
  TOKEN,
  type BadInputCase,
  type CaseWorld,
} from './corpus.js';
import { receipts } from '../e2e/helpers.js';

/** A batch API that refuses (422) a request holding any record without a value. */
function refuseNullValues(request: RecordedRequest): ScriptedResponse {
  const records = request.body as { id: number; value: string | null }[];
  const bad = records.find((record) => record.value === null);
  return bad === undefined
    ? { status: 200, body: { ok: records.length } }
    : { status: 422, body: { message: `value is required (id ${bad.id})` } };
}

const answer = (status: number, body: unknown) => (): ScriptedResponse => ({ status, body });

const sqlAsReceipt = (world: CaseWorld, source = NULLS) =>
  expectWrittenAsReceipt(world, { destination: 'warehouse', source, read: () => tableText(world) });

const restAsReceipt = (world: CaseWorld) =>
  expectWrittenAsReceipt(world, { destination: 'crm', source: NULLS, read: () => acceptedText(world) });

/**
 * Destinations that fail or refuse rows once the run has started: what was written must be exactly what
 * the receipt (and the rejected-rows file) says.
 */
export const DELIVERY_CASES: readonly BadInputCase[] = [
  {
    name: 'an unreachable database (postgres://…@127.0.0.1:1/x)',
    spec: (w) => spec([sqlDestination(w)]),
    env: () => ({ FLOE_SECRET_WAREHOUSE_DB_URL: 'postgres://floe:unreachable-PW@127.0.0.1:1/x' }),
    exit: 1,
    // found when the table is prepared (a failed receipt) or, with a delivery ledger kept in the database,
    // when it is read before the run (no receipt): either way exit 1, nothing delivered, the password never shown
    stderr: () => [/(warehouse: failed \(TRANSIENT\)|destinations\[0\]): .*connect ECONNREFUSED 127\.0\.0\.1:1/],
    effect: async (run, w) => {
      const saved = Object.values(receipts(join(w.dir, '.floe')));
      if (saved.length > 0) await expectNoDelivery(w, 1);
      else expect(run.stderr).toMatch(/nothing was written\n$/);
      expect(await tableRows(w)).toBeNull();
      expect(run.stdout + run.stderr + JSON.stringify(saved)).not.toContain('unreachable-PW');
    },
  },
  {
    name: 'an unreachable API (http://127.0.0.1:1)',
    spec: (w) => spec([restDestination(w, {}, { url: 'http://127.0.0.1:1/contacts' })]),
    exit: 1,
    stderr: () => ['crm: failed (TRANSIENT): request to the destination failed (ECONNREFUSED)'],
    effect: async (_run, w) => void (await expectNoDelivery(w, 1)),
  },
  {
    name: 'an API answering 401: nothing retried, nothing split',
    spec: (w) => spec([restDestination(w, { batch_size: 8 })]),
    http: answer(401, { error: 'invalid token' }),
    exit: 1,
    stderr: () => ['crm: failed (PERMANENT): HTTP 401 Unauthorized: {"error":"invalid token"}'],
    effect: async (run, w) => {
      await expectNoDelivery(w, 1);
      expect(w.requests()).toHaveLength(1);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    },
  },
  {
    name: 'an API answering 404',
    spec: (w) => spec([restDestination(w)]),
    http: answer(404, { error: 'no such collection' }),
    exit: 3,
    stderr: () => ['crm: failed (CONFIGURATION): HTTP 404 Not Found: {"error":"no such collection"}'],
    effect: async (_run, w) => {
      await expectNoDelivery(w, 3);
      expect(w.requests()).toHaveLength(1);
    },
  },
  {
    name: 'an API answering 413 Payload Too Large',
    spec: (w) => spec([restDestination(w, { batch_size: 8 })]),
    http: answer(413, { error: 'request entity too large' }),
    exit: 3,
    stderr: () => [
      'crm: failed (CONFIGURATION): HTTP 413 Payload Too Large (the request body is larger than the API accepts: lower batch_size)',
    ],
    effect: async (_run, w) => {
      await expectNoDelivery(w, 3);
      expect(w.requests()).toHaveLength(1);
    },
  },
  {
    name: 'a batch API refusing (422) whole batches that hold a bad row: split until the bad rows are single',
    spec: (w) => spec([restDestination(w, { batch_size: 4 })]),
    http: refuseNullValues,
    exit: 2,
    stderr: (w) => [`crm: partial: 4 rows rejected (${w.dir}/.floe/runs/`],
    effect: async (_run, w) => {
      const { rejected } = await restAsReceipt(w);
      expect(rejected.map((line) => [line.row, line.httpStatus, line.values?.id])).toEqual([
        [0, 422, 7],
        [5, 422, 1],
        [6, 422, 2],
        [7, 422, 3],
      ]);
      expect(rejected[0]?.reason).toMatch(/^HTTP 422 Unprocessable Entity: \{"message":"value is required \(id 7\)"\}/);
      // batch 0: whole, [7,8], [7], [8], [4,5]; batch 1: whole, [6,1], [6], [1], [2,3], [2], [3]
      expect(w.requests()).toHaveLength(12);
      const keys = w.requests().map((request) => request.headers['idempotency-key']);
      expect(new Set(keys).size).toBe(12);
    },
  },
  {
    name: '--max-rejected exceeded: the run stops after the batch that exceeds it',
    spec: (w) => spec([restDestination(w, { batch_size: 2 })]),
    http: refuseNullValues,
    args: () => ['--max-rejected', '1'],
    exit: 1,
    stderr: () => [
      'crm: stopped by --max-rejected 1: 2 rows rejected, more than the 1 allowed; no further batch was sent',
    ],
    effect: async (_run, w) => {
      const record = onlyReceipt(w);
      expect(record).toMatchObject({
        status: 'failed',
        exitCode: 1,
        stopped: { maxRejected: '1', allowed: 1 },
        rejected: { file: 'crm.rejected.jsonl', rows: 2 },
      });
      // batches [7,8] (7 refused), [4,5], [6,1] (1 refused); [2,3] is never sent
      expect(await acceptedText(w)).toEqual([
        { id: '8', value: 'blah' },
        { id: '4', value: 'foo' },
        { id: '5', value: 'bar' },
        { id: '6', value: 'baz' },
      ]);
      expect(record.receipt).toMatchObject({ status: 'failed', rowsDelivered: 4, rowsRejected: 2 });
      expect(rejectedLines(w, 'crm').map((line) => [line.row, line.values])).toEqual([
        [0, { id: 7, value: null }],
        [5, { id: 1, value: null }],
      ]);
    },
  },
  {
    name: '--max-rejected 0 on a replaced table: the load is rolled back and the receipt says 0 delivered',
    spec: (w) => spec([sqlDestination(w, { batch_size: 3 }, { write_disposition: 'replace', primary_key: ['value'] })]),
    args: () => ['--max-rejected', '0'],
    exit: 1,
    stderr: () => ['warehouse: stopped by --max-rejected 0: 1 row rejected, more than the 0 allowed'],
    effect: async (_run, w) => {
      const record = onlyReceipt(w);
      expect(record).toMatchObject({ status: 'failed', exitCode: 1, rejected: { rows: 1 } });
      expect(record.receipt).toMatchObject({ rowsDelivered: 0, rowsRejected: 1 });
      expect(await tableRows(w)).toBeNull();
    },
  },
  {
    name: 'a sync primary_key naming a column the source does not have',
    spec: (w) => spec([sqlDestination(w, { primary_key: ['nope'], sync: { mode: 'upsert' } })]),
    exit: 3,
    stderr: () => [
      /destinations\[0\]\.primary_key\[0\]: column "nope" is not in source table \S+ \(its columns: id, value\): name source columns, before field_mapping/,
      'nothing was written',
    ],
    effect: async (run, w) => {
      expect(run.stdout + run.stderr).not.toContain('rows delivered');
      expect(
        await w.pg.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1`, [w.table.split('.')[0]]),
      ).toEqual([]);
    },
  },
  {
    name: 'null primary keys in a merge',
    spec: (w) => spec([sqlDestination(w, {}, { write_disposition: 'merge', primary_key: ['value'] })]),
    exit: 2,
    stderr: (w) => [`warehouse: partial: 4 rows rejected (${w.dir}/.floe/runs/`],
    effect: async (_run, w) => {
      const { rejected } = await sqlAsReceipt(w);
      expect(rejected.map((line) => [line.row, line.reason, line.category])).toEqual(
        // Refused by the sync diff before anything is sent (merge is an upsert by primary_key).
        [0, 5, 6, 7].map((row) => [row, 'a primary-key value (value) is null', 'PERMANENT']),
      );
    },
  },
  {
    name: 'duplicate primary keys in a merge: every row of the key is refused (none is arbitrarily kept), naming the other',
    spec: (w) =>
      spec([
        sqlDestination(
          w,
          { source_table: ORDERS, batch_size: 1 },
          { write_disposition: 'merge', primary_key: ['order_type'] },
        ),
      ]),
    exit: 2,
    stderr: () => ['warehouse: partial: 2 rows rejected'],
    effect: async (_run, w) => {
      const { rejected, receipt } = await sqlAsReceipt(w, ORDERS);
      expect(rejected.map((line) => [line.row, line.key, line.reason, line.category])).toEqual([
        // The other row is named with its data file.
        [0, '"A"', expect.stringMatching(/^duplicate primary key "A": row 1 of \S+\.parquet has it too$/), 'PERMANENT'],
        [1, '"A"', expect.stringMatching(/^duplicate primary key "A": row 0 of \S+\.parquet has it too$/), 'PERMANENT'],
      ]);
      expect(rejected.map((line) => line.values)).toEqual([
        expect.objectContaining({ order_type: 'A' }),
        { order_date: '2021-01-02', order_type: 'A' },
      ]);
      expect(receipt.rowsDelivered).toBe(0);
    },
  },
  {
    name: 'values longer than a pre-created varchar(3) column',
    setup: async (w) => void (await w.pg.query(`CREATE TABLE ${w.table} (id bigint, value varchar(3))`)),
    spec: (w) => spec([sqlDestination(w)]),
    exit: 2,
    stderr: () => ['warehouse: partial: 1 row rejected'],
    effect: async (_run, w) => {
      const { rejected } = await sqlAsReceipt(w);
      expect(rejected.map((line) => [line.row, line.reason, line.values])).toEqual([
        [1, 'value too long for type character varying(3) [22001]', { id: '8', value: 'blah' }],
      ]);
    },
  },
  {
    name: 'nulls into a pre-created NOT NULL column, and --max-rejected 50% not exceeded',
    setup: async (w) => void (await w.pg.query(`CREATE TABLE ${w.table} (id bigint, value text NOT NULL)`)),
    spec: (w) => spec([sqlDestination(w, { batch_size: 3 })]),
    args: () => ['--max-rejected', '50%'],
    exit: 2,
    stderr: () => ['warehouse: partial: 4 rows rejected'],
    effect: async (_run, w) => {
      const { rejected, record } = await sqlAsReceipt(w);
      expect(record.stopped).toBeUndefined();
      expect(rejected.map((line) => line.row)).toEqual([0, 5, 6, 7]);
      expect(rejected[0]?.reason).toMatch(/null value in column "value" .* violates not-null constraint \[23502\]/);
    },
  },
  {
    // FIXME(sql): a pre-created smallint column refuses the whole load up front ("incompatible type change",
    // exit 3) although every id (1–8) fits; expected: values checked row by row like varchar(n) — rows that fit
    // delivered, rows that do not rejected with their position. Asserts the current behaviour.
    name: 'integers into a pre-created smallint column (refused up front today)',
    setup: async (w) => void (await w.pg.query(`CREATE TABLE ${w.table} (id smallint, value text)`)),
    spec: (w) => spec([sqlDestination(w)]),
    exit: 3,
    stderr: () => [
      /warehouse: failed \(CONFIGURATION\): table .* does not fit the data: columns\.id: incompatible type change .* existing type smallint/,
    ],
    effect: async (_run, w) => {
      await expectNoDelivery(w, 3);
      expect(await tableRows(w)).toBe(0);
    },
  },
  {
    name: 'a REST sink and a SQL sink in one run: the worst exit code wins and each receipt is exact',
    spec: (w) =>
      spec([
        restDestination(w, { batch_size: 4 }),
        sqlDestination(w, {}, { write_disposition: 'merge', primary_key: ['value'] }),
      ]),
    env: (w) => secretsEnv(w),
    http: answer(401, { error: 'expired' }),
    exit: 1,
    stderr: () => ['crm: failed (PERMANENT): HTTP 401 Unauthorized', 'warehouse: partial: 4 rows rejected'],
    effect: async (run, w) => {
      expect(run.events.find((event) => event.event === 'run.finished')).toMatchObject({
        exitCode: 1,
        destinations: { crm: 'failed', warehouse: 'partial' },
      });
      expect(w.requests()).toHaveLength(1);
      expect(await tableRows(w)).toBe(4);
    },
  },
];
