import { expect } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgTestSchema, RecordedRequest, ScriptedResponse } from '@floe/test-harness';
import {
  asText,
  FIXTURES,
  floe,
  lakehouseRows,
  manifestYaml,
  receipts,
  sorted,
  specYaml,
  type FloeRun,
} from '../e2e/helpers.js';

/** Shared fixtures the corpus reads (small: every case spawns the built CLI). */
export const NULLS = join(FIXTURES, 'duckdb-iceberg/is_null_is_not_null'); // 8 rows: id, value (4 nulls)
export const ORDERS = join(FIXTURES, 'iceberg-python/target'); // 2 rows, order_type "A" twice
export const RENAMED = join(FIXTURES, 'icebird/spark/rename_column'); // 4 rows, decimal(10,2) price
export const WAREHOUSE = join(FIXTURES, 'duckdb-iceberg/column_mapping/warehouse'); // default.my_table

export const TOKEN = 'tok-corpus-5f2a9c';
/** Tiny retry delays so transient failures cost milliseconds. */
export const FAST_RETRY = { max_attempts: 2, initial_delay_ms: 1, max_delay_ms: 2 };

/** What a case can see and touch: its own folder, endpoint and table. */
export interface CaseWorld {
  /** `c07`: names the case's folder, endpoint path and table. */
  readonly id: string;
  /** The case's folder, holding floe.yaml and manifest.yaml. */
  readonly dir: string;
  /** floe.yaml's path. */
  readonly spec: string;
  /** The case's endpoint on the loopback HTTP target. */
  readonly url: string;
  /** The case's PostgreSQL table, `<schema>_<id>.target`, alone in its schema. */
  readonly table: string;
  readonly pg: PgTestSchema;
  /** Requests the case's endpoint received. */
  requests(): RecordedRequest[];
  /** Bodies of the requests the case's endpoint accepted (2xx), in order. */
  readonly accepted: unknown[];
}

/** One bad input: the files, the command, and what must (not) happen. */
export interface BadInputCase {
  readonly name: string;
  /** floe.yaml's text. */
  readonly spec: (world: CaseWorld) => string;
  /** manifest.yaml's text; `null`: no manifest file. Default: an enterprise manifest approving both sinks. */
  readonly manifest?: ((world: CaseWorld) => string) | null;
  /** Default `egress run`. */
  readonly command?: readonly string[];
  readonly args?: (world: CaseWorld) => readonly string[];
  /** The run's whole environment for floe (default: the REST token and the PostgreSQL URL as secrets). */
  readonly env?: (world: CaseWorld) => Record<string, string>;
  /** Prepares the destination (e.g. a pre-created table). */
  readonly setup?: (world: CaseWorld) => Promise<void>;
  /** How the case's endpoint answers (default 200 `{}`). */
  readonly http?: (request: RecordedRequest) => ScriptedResponse;
  readonly exit: number;
  /** Substrings stderr must hold: the file, the path and the fix. */
  readonly stderr: (world: CaseWorld) => readonly (string | RegExp)[];
  /** `nothing`: no receipt, no table row, no request. Otherwise checks what was written against the receipt. */
  readonly effect: 'nothing' | ((run: FloeRun, world: CaseWorld) => Promise<void>);
}

/** The default environment: both connection secrets. */
export function secretsEnv(world: CaseWorld): Record<string, string> {
  return { FLOE_SECRET_CRM_API_TOKEN: TOKEN, FLOE_SECRET_WAREHOUSE_DB_URL: world.pg.url };
}

/** A rest_api destination posting to the case's endpoint. */
export function restDestination(
  world: CaseWorld,
  extra: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'crm',
    sink_type: 'rest_api',
    connection_secret_ref: 'crm-api',
    source_table: NULLS,
    ...extra,
    config: { url: world.url, retry: FAST_RETRY, ...config },
  };
}

/** A sql_database destination writing the case's table. */
export function sqlDestination(
  world: CaseWorld,
  extra: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'warehouse',
    sink_type: 'sql_database',
    connection_secret_ref: 'warehouse-db',
    source_table: NULLS,
    ...extra,
    config: { table: world.table, ...config },
  };
}

/** floe.yaml with these destinations. */
export function spec(destinations: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}): string {
  return specYaml(destinations, extra);
}

/** Writes the case's files and runs the built CLI on them. */
export async function runCase(badInput: BadInputCase, world: CaseWorld): Promise<FloeRun> {
  mkdirSync(world.dir, { recursive: true });
  await badInput.setup?.(world);
  writeFileSync(world.spec, badInput.spec(world));
  if (badInput.manifest !== null) {
    writeFileSync(join(world.dir, 'manifest.yaml'), badInput.manifest?.(world) ?? manifestYaml());
  }
  const command = badInput.command ?? ['egress', 'run'];
  return floe([...command, '--spec', world.spec, ...(badInput.args?.(world) ?? [])], {
    env: (badInput.env ?? secretsEnv)(world),
  });
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Rows in the case's table, `null` when the table does not exist. */
export async function tableRows(world: CaseWorld): Promise<number | null> {
  const [row] = await world.pg.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    world.table,
  ]);
  if (row?.exists !== true) return null;
  const [count] = await world.pg.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoted(world.table)}`);
  return Number(count?.n);
}

/** Nothing was written: no `.floe` folder (no receipt, no rejected rows), no table row, no request. */
export async function expectNothingWritten(world: CaseWorld): Promise<void> {
  expect(existsSync(join(world.dir, '.floe'))).toBe(false);
  expect(await tableRows(world)).toBeFalsy(); // no table, or the pre-created one still empty
  expect(world.requests()).toEqual([]);
}

/**
 * The delivery failed before any row was acknowledged: one receipt saying so (status failed, 0 rows, 0
 * bytes, no checksum, `exitCode`), no rejected rows, no row in the table, no request accepted.
 */
export async function expectNoDelivery(world: CaseWorld, exitCode: number): Promise<Record<string, unknown>> {
  const record = onlyReceipt(world);
  expect(record).toMatchObject({ status: 'failed', exitCode, rejected: null });
  expect(record.receipt).toMatchObject({
    success: false,
    status: 'failed',
    rowsDelivered: 0,
    bytesTransmitted: 0,
    checksum: '', // nothing was sent: no checksum of an empty payload
  });
  expect(rejectedLines(world, String(record.destination))).toEqual([]);
  expect(await tableRows(world)).toBeFalsy();
  expect(world.accepted).toEqual([]);
  return record;
}

/** The single receipt record of the case's run. */
export function onlyReceipt(world: CaseWorld): Record<string, unknown> & { receipt: ReceiptJson } {
  const saved = Object.values(receipts(join(world.dir, '.floe')));
  expect(saved).toHaveLength(1);
  return saved[0] as Record<string, unknown> & { receipt: ReceiptJson };
}

/** The receipt's `EgressResult`, as JSON. */
export interface ReceiptJson {
  readonly status: string;
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
  readonly bytesTransmitted: number;
  readonly errors: {
    message: string;
    category: string;
    row?: number;
    batch?: number;
    key?: string;
    httpStatus?: number;
  }[];
}

/** One line of `<destination>.rejected.jsonl`. */
export interface RejectedLine {
  readonly row: number | null;
  readonly batch: number | null;
  readonly key: string | null;
  readonly reason: string;
  readonly category: string;
  readonly httpStatus: number | null;
  readonly values: Record<string, unknown> | null;
}

/** The lines of the case's rejected-rows file (`[]` when there is none). */
export function rejectedLines(world: CaseWorld, destination: string): RejectedLine[] {
  const runs = join(world.dir, '.floe', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((run) => {
    const file = join(runs, run, `${destination}.rejected.jsonl`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RejectedLine);
  });
}

/**
 * What was written is exactly what the receipt says: the destination holds the source rows minus the
 * rejected ones, each once (`read` returns what it holds, as text by column); the receipt counts them;
 * the rejected-rows file lists the receipt's rejected rows — and the rows a sync diff refused before sending (a null
 * or duplicate primary key, counted in the record's `sync.refused`) — each with the source row's values.
 */
export async function expectWrittenAsReceipt(
  world: CaseWorld,
  options: {
    destination: string;
    source: string;
    read: () => Promise<Record<string, string | null>[]>;
    mapping?: Record<string, string>;
  },
): Promise<{ record: Record<string, unknown>; receipt: ReceiptJson; rejected: RejectedLine[] }> {
  const record = onlyReceipt(world);
  const { receipt } = record;
  const rejected = rejectedLines(world, options.destination);
  const source = await lakehouseRows(options.source);
  const rejectedRows = new Set(rejected.map((line) => line.row));
  const refused = Number((record.sync as { refused?: number } | undefined)?.refused ?? 0);
  const sent = rejected.slice(refused);
  expect(sent.map((line) => line.row)).toEqual(receipt.errors.flatMap((e) => (e.row === undefined ? [] : [e.row])));
  expect(receipt.rowsRejected + refused).toBe(rejected.length);
  const expected = sorted(
    source.flatMap((row, position) => (rejectedRows.has(position) ? [] : [asText(row, options.mapping)])),
  );
  const held = sorted(await options.read());
  expect(held).toEqual(expected);
  expect(receipt.rowsDelivered).toBe(held.length);
  for (const line of rejected) {
    expect(line.values).not.toBeNull();
    expect(asText(line.values ?? {})).toEqual(asText(source[line.row ?? -1] ?? {}, options.mapping));
  }
  return { record, receipt, rejected };
}

/** Every row of the case's table, each column as text. */
export async function tableText(world: CaseWorld): Promise<Record<string, string | null>[]> {
  const [schema, table] = world.table.split('.') as [string, string];
  const columns = await world.pg.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  const list = columns.map(({ column_name: c }) => `"${c}"::text AS "${c}"`).join(', ');
  return world.pg.query<Record<string, string | null>>(`SELECT ${list} FROM ${quoted(world.table)}`);
}

/** The records the case's endpoint accepted (array bodies), each column as text. */
export async function acceptedText(world: CaseWorld): Promise<Record<string, string | null>[]> {
  return world.accepted.flatMap((body) => (body as Record<string, unknown>[]).map((record) => asText(record)));
}

function quoted(qualified: string): string {
  return qualified
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
