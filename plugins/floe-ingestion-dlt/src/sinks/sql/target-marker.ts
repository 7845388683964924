import type { Knex } from 'knex';
import type { SqlDialectName } from './connection-url.js';

/**
 * The marker a ledgered run leaves on its target table: which destination and run wrote it. It must live *on the
 * table* — gone when the table is dropped (so a table dropped and created again has none) yet untouched when the
 * ledger tables are dropped (so a marked table beside an empty ledger shows the ledger was lost).
 *
 * - PostgreSQL, MariaDB: the table comment (`[floe-ledger destination=… run=…]` after the user's own text).
 * - SQLite has no table comments. A row in a side table (`_floe_targets`) would survive dropping the ledger, but
 *   nothing in SQLite identifies a table across a drop and re-create: `sqlite_master`'s rowid and `rootpage` are
 *   reused by the next table created, and its `sql` text is the same for the same DDL; and an operator dropping
 *   `_floe_*` drops that table too. So the marker is a trigger on the target table instead,
 *   `_floe_marker__<table>`, whose body holds the tag (`AFTER UPDATE … WHEN 0`: it never fires, and being an UPDATE
 *   trigger it keeps SQLite's fast `DELETE FROM` and bulk `INSERT` paths). SQLite drops a table's triggers with
 *   the table and a rename carries them along, so the trigger lives exactly as long as the table it marks.
 */
export interface TargetMarker {
  readonly destination: string;
  readonly runId: string;
}

/** The target table as a drift check sees it. */
export interface TargetState {
  readonly exists: boolean;
  readonly rows: number;
  /** `undefined` without a marker. */
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

/** Where the dialect keeps the marker, for messages: `its comment`, `its trigger "_floe_marker__t"`. */
export function markerPlace(dialect: SqlDialectName, table: string): string {
  return dialect === 'sqlite' ? `its trigger ${JSON.stringify(markerTrigger(table))}` : 'its comment';
}

/** The SQLite trigger carrying the marker of `table`. */
function markerTrigger(table: string): string {
  return `_floe_marker__${table}`;
}

/** The `sqlite_master` of `schema` (an attached database) or of `main`. */
function sqliteMaster(target: TargetTable): Knex.Raw {
  const { knex, schema } = target;
  return schema === undefined ? knex.raw('sqlite_master') : knex.raw('??.sqlite_master', [schema]);
}

function parseMarker(comment: string | null | undefined): TargetMarker | undefined {
  const match = MARKER.exec(comment ?? '');
  if (match === null) return undefined;
  return { destination: JSON.parse(match[1] as string) as string, runId: JSON.parse(match[2] as string) as string };
}

async function readComment(target: TargetTable): Promise<string | null> {
  const { knex, schema, name } = target;
  if (target.dialect === 'sqlite') {
    const rows = await knex.raw<{ sql: string | null }[]>(
      `SELECT sql FROM ${sqliteMaster(target).toQuery()} WHERE type = 'trigger' AND tbl_name = ? AND name = ?`,
      [name, markerTrigger(name)],
    );
    // The tag is the trigger body's one string literal: undo its quote doubling.
    return rows[0]?.sql?.replace(/''/g, "'") ?? null;
  }
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
  const marker = parseMarker(await readComment(target));
  return { exists: true, rows: Number(counted[0]?.n ?? 0), marker };
}

/** A SQL string literal (the comment statements take no bind parameters). */
function literal(text: string, dialect: SqlDialectName): string {
  const escaped = dialect === 'mysql' ? text.replace(/\\/g, '\\\\') : text;
  return `'${escaped.replace(/'/g, "''")}'`;
}

/**
 * Writes `marker` into the target table's comment, keeping the rest of the comment (a marker of an earlier run
 * is replaced); on SQLite, (re)creates the table's marker trigger.
 */
export async function writeMarker(target: TargetTable, marker: TargetMarker): Promise<void> {
  const tag = `[floe-ledger destination=${JSON.stringify(marker.destination)} run=${JSON.stringify(marker.runId)}]`;
  const { knex, schema, name } = target;
  if (target.dialect === 'sqlite') {
    const trigger =
      schema === undefined ? knex.raw('??', [markerTrigger(name)]) : knex.raw('??.??', [schema, markerTrigger(name)]);
    const body = `SELECT ${literal(tag, 'sqlite')}`;
    await knex.transaction(async (trx) => {
      await trx.raw(`DROP TRIGGER IF EXISTS ${trigger.toQuery()}`);
      await trx.raw(
        `CREATE TRIGGER ${trigger.toQuery()} AFTER UPDATE ON ${knex.raw('??', [name]).toQuery()} WHEN 0 BEGIN ${body}; END`,
      );
    });
    return;
  }
  const kept = (await readComment(target))?.replace(MARKER, '') ?? '';
  const comment = literal(kept === '' ? tag : `${kept} ${tag}`, target.dialect);
  const qualified = schema === undefined ? knex.raw('??', [name]) : knex.raw('??.??', [schema, name]);
  const sql =
    target.dialect === 'postgres'
      ? `COMMENT ON TABLE ${qualified.toQuery()} IS ${comment}`
      : `ALTER TABLE ${qualified.toQuery()} COMMENT = ${comment}`;
  await knex.raw(sql);
}
