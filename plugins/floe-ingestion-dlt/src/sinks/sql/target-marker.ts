import type { Knex } from 'knex';
import type { SqlDialectName } from './connection-url.js';

/** The marker a ledgered run leaves in its target table's comment: which destination and run wrote it. */
export interface TargetMarker {
  readonly destination: string;
  readonly runId: string;
}

/** The target table as a drift check sees it. */
export interface TargetState {
  readonly exists: boolean;
  readonly rows: number;
  /** `undefined` without a marker; always `undefined` where tables have no comments (SQLite). */
  readonly marker: TargetMarker | undefined;
}

/** Where the target table is. */
export interface TargetTable {
  readonly knex: Knex;
  readonly dialect: SqlDialectName;
  readonly schema: string | undefined;
  readonly name: string;
}

const MARKER = /\s*\[floe-ledger destination=("(?:[^"\\]|\\.)*") run=("(?:[^"\\]|\\.)*")\]/;

/** Whether the dialect keeps a table comment the marker can live in. */
export function markerSupported(dialect: SqlDialectName): boolean {
  return dialect !== 'sqlite';
}

function parseMarker(comment: string | null | undefined): TargetMarker | undefined {
  const match = MARKER.exec(comment ?? '');
  if (match === null) return undefined;
  return { destination: JSON.parse(match[1] as string) as string, runId: JSON.parse(match[2] as string) as string };
}

async function readComment(target: TargetTable): Promise<string | null> {
  const { knex, schema, name } = target;
  if (target.dialect === 'postgres') {
    const result = await knex.raw<{ rows: { comment: string | null }[] }>(
      `SELECT obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = coalesce(?, current_schema()) AND c.relname = ?`,
      [schema ?? null, name],
    );
    return result.rows[0]?.comment ?? null;
  }
  const [rows] = await knex.raw<[{ comment: string | null }[]]>(
    'SELECT table_comment AS comment FROM information_schema.tables WHERE table_schema = coalesce(?, database()) AND table_name = ?',
    [schema ?? null, name],
  );
  return rows?.[0]?.comment ?? null;
}

/** Whether the target table exists, its row count and its marker. */
export async function readTarget(target: TargetTable): Promise<TargetState> {
  const { knex, schema, name } = target;
  const builder = schema === undefined ? knex.schema : knex.schema.withSchema(schema);
  if (!(await builder.hasTable(name))) return { exists: false, rows: 0, marker: undefined };
  const table: Knex.QueryBuilder = schema === undefined ? knex(name) : knex.withSchema(schema).table(name);
  const counted = (await table.count({ n: '*' })) as { n: number | string }[];
  const marker = markerSupported(target.dialect) ? parseMarker(await readComment(target)) : undefined;
  return { exists: true, rows: Number(counted[0]?.n ?? 0), marker };
}

/** A SQL string literal (the comment statements take no bind parameters). */
function literal(text: string, dialect: SqlDialectName): string {
  const escaped = dialect === 'mysql' ? text.replace(/\\/g, '\\\\') : text;
  return `'${escaped.replace(/'/g, "''")}'`;
}

/**
 * Writes `marker` into the target table's comment, keeping the rest of the comment (a marker of an earlier run
 * is replaced). Nothing on SQLite.
 */
export async function writeMarker(target: TargetTable, marker: TargetMarker): Promise<void> {
  if (!markerSupported(target.dialect)) return;
  const kept = (await readComment(target))?.replace(MARKER, '') ?? '';
  const tag = `[floe-ledger destination=${JSON.stringify(marker.destination)} run=${JSON.stringify(marker.runId)}]`;
  const comment = literal(kept === '' ? tag : `${kept} ${tag}`, target.dialect);
  const { knex, schema, name } = target;
  const qualified = schema === undefined ? knex.raw('??', [name]) : knex.raw('??.??', [schema, name]);
  const sql =
    target.dialect === 'postgres'
      ? `COMMENT ON TABLE ${qualified.toQuery()} IS ${comment}`
      : `ALTER TABLE ${qualified.toQuery()} COMMENT = ${comment}`;
  await knex.raw(sql);
}
