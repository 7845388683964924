import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Field,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeBuilder,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import {
  KEYED_SYNC_MODES,
  SYNC_COLUMNS,
  type SyncChangeCounts,
  type SyncMode,
  type SyncOp,
  type SyncScope,
  type SyncStateRecord,
  type SyncStateStore,
} from '@floe/core';
import { DeliveryError } from '../delivery-error.js';
import { ArrowSpool } from './arrow-spool.js';
import { parseSyncKey, rowFingerprints, syncKeyTexts } from './canonical-row.js';
import { DUPLICATE, KeyHashSet, SEEN_BEFORE, SEEN_CURRENT } from './key-hash-set.js';
import { takeRows } from './take-rows.js';

/** The column of a change row's source data file (bookkeeping, never sent). */
export const SYNC_FILE_COLUMN = '_floe_file';

/** Source rows, with the data file they were read from when known. */
export type DiffRows = AsyncIterable<{ readonly file?: string; readonly batch: RecordBatch }>;

/** What {@link diffChanges} compares. */
export interface DiffInput {
  readonly scope: SyncScope;
  readonly state: SyncStateStore;
  /** A keyed mode: insert | update | upsert | mirror. */
  readonly mode: SyncMode;
  /** The primary key: source column names. */
  readonly keyColumns: readonly string[];
  /** The source columns sent (fingerprinted). */
  readonly valueColumns: readonly string[];
  /**
   * The name each value column is sent under (its `field_mapping` target; default its own name): part of the
   * fingerprint, so a rename sends every record again under its new name.
   */
  readonly sentNames?: Readonly<Record<string, string>>;
  /** Arrow schema of the rows (source columns). */
  readonly schema: Schema;
  /** Full scan: every source row. Incremental: rows of added + rewritten files as of the current snapshot. */
  readonly current: DiffRows;
  /** Incremental only: rows of removed + rewritten files as of the state's snapshot. Absent = full scan. */
  readonly before?: DiffRows;
  /**
   * Incremental: data files whose rows failed last run (the caller reads their current rows as part of
   * `current`): a row of one whose key is in the state is not taken for a duplicate of an unread row.
   */
  readonly failedFiles?: readonly string[];
  /** Every current row is sent (state ignored for change detection); mirror still deletes only state keys. */
  readonly fullResync?: boolean;
  readonly allowMassDelete?: boolean;
  /** mirror: refuse when deletes / synced records exceed this. */
  readonly maxDeleteFraction: number;
  /** Where the change stream is spooled (a folder made in it, removed by `close()`). */
  readonly spoolDir: string;
  /** Rows per spooled batch (default 10 000). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** A source row refused before sending. */
export interface DiffReject {
  /** The row's source column values (JSON-ready). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly reason: string;
  /** Its key text, when it has one. */
  readonly key?: string;
  /** Its data file, when known. */
  readonly file?: string;
  /** Its position among the rows read (`current`, from 0). */
  readonly row: number;
}

/** What {@link diffChanges} found. */
export interface DiffResult {
  readonly counts: Omit<SyncChangeCounts, 'path' | 'reason'>;
  /** Rows refused before sending: null key, duplicate key. */
  readonly rejected: readonly DiffReject[];
  /** Rows in the change stream. */
  readonly changeRows: number;
  /**
   * The change stream: upserts / inserts / updates in source order, then deletes in key order (key columns
   * set, others null). Read from the spool each time.
   */
  changes(): AsyncIterable<RecordBatch>;
  /** Source schema (every column nullable) + `_floe_op`, `_floe_key`, `_floe_fp`, `_floe_dest_id`, `_floe_file`. */
  readonly schema: Schema;
  /** Removes the spool. */
  close(): Promise<void>;
}

/** What pass 1 found of a row (spooled in `_floe_op` of the first spool). */
type Kind = 'new' | 'changed' | 'same' | 'skip' | 'null-key' | 'unread-duplicate';

/** A utf8 column chunk of `values` (null for null), encoded in one pass. */
function utf8Data(values: readonly (string | null)[]): Data {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  let total = 0;
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) nulls++;
    else total += Buffer.byteLength(value, 'utf8');
    offsets[i + 1] = total;
  }
  const bytes = Buffer.alloc(total);
  const bitmap = nulls === 0 ? undefined : new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    bytes.write(value, offsets[i]!, 'utf8');
    if (bitmap !== undefined) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({
    type: new Utf8(),
    length,
    nullCount: nulls,
    valueOffsets: offsets,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset, total),
    ...(bitmap !== undefined && { nullBitmap: bitmap }),
  }) as Data;
}

/** The strings of a utf8 column chunk (null for null). */
function utf8Values(data: Data): (string | null)[] {
  const offsets = data.valueOffsets as Int32Array;
  const raw = data.values as Uint8Array;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Array<string | null>(data.length);
  for (let i = 0; i < data.length; i++)
    out[i] = data.getValid(i) ? bytes.toString('utf8', offsets[i], offsets[i + 1]) : null;
  return out;
}

function batchOf(schema: Schema, columns: Data[], length: number): RecordBatch {
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns }),
  );
}

/** UTF-8 byte order (the state's key order on every dialect), without encoding each key. */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function opOf(mode: SyncMode): SyncOp {
  if (mode === 'insert') return 'insert';
  return mode === 'update' ? 'update' : 'upsert';
}

function sourceData(batch: RecordBatch, name: string): Data {
  const index = batch.schema.fields.findIndex((field) => field.name === name);
  const data = index < 0 ? undefined : (batch.getChildAt(index)?.data[0] as Data | undefined);
  if (data === undefined) {
    throw new DeliveryError(`a source batch has no column ${JSON.stringify(name)}`, 'SYNC_STATE_INVALID', {
      category: 'PERMANENT',
    });
  }
  return data;
}

function rowValues(batch: RecordBatch, row: number, names: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const value = batch.getChild(name)?.get(row) as unknown;
    values[name] =
      typeof value === 'bigint'
        ? value.toString()
        : value !== null && typeof value === 'object' && 'toJSON' in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value;
  }
  return values;
}

/**
 * Diffs the source against a destination's sync state and spools the change stream: new keys, changed
 * fingerprints and (mirror) keys that left the source, per `mode`. Every row of a key read twice is rejected,
 * and so is a row with a null key part. Memory stays bounded: state lookups per batch, seen keys as 64-bit
 * hashes, the state streamed for deletes, rows spooled to Arrow IPC files in `spoolDir`.
 *
 * @throws DeliveryError `MASS_DELETE` (CONFIGURATION) when a mirror would delete more than
 * `maxDeleteFraction` of the synced records (or the source is empty while the state is not) and
 * `allowMassDelete` is not set.
 *
 * @example
 * ```ts
 * const diff = await diffChanges({ scope, state: ledger.sync, mode: 'mirror', keyColumns: ['id'],
 *   valueColumns: ['id', 'email'], schema, current: batchesOf(table), maxDeleteFraction: 0.2, spoolDir });
 * try {
 *   console.log(diff.counts); // { inserts, updates, deletes, unchanged }
 *   await connector.write(sink, diff.changes(), { sync, delivery });
 * } finally { await diff.close(); }
 * ```
 */
export async function diffChanges(input: DiffInput): Promise<DiffResult> {
  const { scope, state, mode } = input;
  const batchSize = Math.max(1, input.batchSize ?? 10_000);
  const incremental = input.before !== undefined;
  const failedFiles = new Set(input.failedFiles ?? []);
  const sourceNames = input.schema.fields.map((field) => field.name);
  const sentAs = (column: string): string => input.sentNames?.[column] ?? column;
  for (const name of [...input.keyColumns, ...input.valueColumns]) {
    if (!sourceNames.includes(name)) {
      throw new DeliveryError(`the sync column ${JSON.stringify(name)} is not a source column`, 'SYNC_STATE_INVALID', {
        category: 'CONFIGURATION',
      });
    }
  }
  if (!(KEYED_SYNC_MODES as readonly string[]).includes(mode)) {
    throw new DeliveryError(`sync mode ${mode} is not diffed by key`, 'SYNC_STATE_INVALID', {
      category: 'CONFIGURATION',
    });
  }
  if (input.keyColumns.length === 0) {
    throw new DeliveryError(`sync mode ${mode} needs a primary key`, 'SYNC_STATE_INVALID', {
      category: 'CONFIGURATION',
    });
  }
  const schema = new Schema([
    ...input.schema.fields.map((field) => field.clone({ nullable: true })),
    new Field(SYNC_COLUMNS.op, new Utf8(), false),
    new Field(SYNC_COLUMNS.key, new Utf8(), true),
    new Field(SYNC_COLUMNS.fingerprint, new Utf8(), true),
    new Field(SYNC_COLUMNS.destinationId, new Utf8(), true),
    new Field(SYNC_FILE_COLUMN, new Utf8(), true),
  ]);
  const keyTypes = input.keyColumns.map((name) => input.schema.fields.find((f) => f.name === name)!.type as DataType);
  const dir = await mkdtemp(join(input.spoolDir, 'floe-sync-diff-'));
  const scratch = new ArrowSpool(join(dir, 'read.arrow'), schema);
  const out = new ArrowSpool(join(dir, 'changes.arrow'), schema);
  const close = async (): Promise<void> => {
    await scratch.finish().catch(() => undefined);
    await out.finish().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const seen = new KeyHashSet();
    // Incremental: keys of the rows the changed files held (delete candidates), once each.
    const beforeKeys: string[] = [];
    if (input.before !== undefined) {
      for await (const { batch } of input.before) {
        input.signal?.throwIfAborted();
        for (const key of syncKeyTexts(batch, input.keyColumns)) {
          if (key !== null && (seen.add(key, SEEN_BEFORE) & SEEN_BEFORE) === 0) beforeKeys.push(key);
        }
      }
    }

    // Pass 1: classify every current row against the state, spool it with its kind.
    let sourceRows = 0;
    for await (const { file, batch } of input.current) {
      input.signal?.throwIfAborted();
      if (batch.numRows === 0) continue;
      sourceRows += batch.numRows;
      const keys = syncKeyTexts(batch, input.keyColumns);
      const fingerprints = rowFingerprints(batch, input.valueColumns, sentAs);
      const known = await state.lookup(scope, [...new Set(keys.filter((k): k is string => k !== null))]);
      const kinds: Kind[] = new Array<Kind>(batch.numRows);
      const destinationIds: (string | null)[] = new Array<string | null>(batch.numRows);
      for (let row = 0; row < batch.numRows; row++) {
        const key = keys[row]!;
        destinationIds[row] = null;
        if (key === null) {
          kinds[row] = 'null-key';
          continue;
        }
        const before = seen.add(key, SEEN_CURRENT);
        if ((before & SEEN_CURRENT) !== 0) seen.add(key, DUPLICATE);
        const record = known.get(key);
        destinationIds[row] = record?.destinationId ?? null;
        if (
          incremental &&
          record !== undefined &&
          (before & SEEN_BEFORE) === 0 &&
          (file === undefined || !failedFiles.has(file))
        ) {
          kinds[row] = 'unread-duplicate';
          continue;
        }
        const kind = record === undefined ? 'new' : record.fingerprint === fingerprints[row] ? 'same' : 'changed';
        const skipped = (mode === 'update' && kind === 'new') || (mode === 'insert' && kind === 'changed');
        kinds[row] = skipped ? 'skip' : kind;
      }
      const columns = [
        ...sourceNames.map((name) => sourceData(batch, name)),
        utf8Data(kinds),
        utf8Data(keys),
        utf8Data(fingerprints),
        utf8Data(destinationIds),
        utf8Data(new Array<string | null>(batch.numRows).fill(file ?? null)),
      ];
      await scratch.write(batchOf(schema, columns, batch.numRows));
    }
    await scratch.finish();

    // Pass 2: drop unchanged and skipped rows, reject duplicates, give each kept row its op.
    const counts = { inserts: 0, updates: 0, deletes: 0, unchanged: 0 };
    const rejected: DiffReject[] = [];
    const duplicates = new Map<string, DiffReject[]>();
    const opIndex = sourceNames.length;
    let ordinal = 0;
    for await (const batch of scratch.read()) {
      input.signal?.throwIfAborted();
      const kinds = utf8Values(batch.data.children[opIndex] as Data);
      const keys = utf8Values(batch.data.children[opIndex + 1] as Data);
      const files = utf8Values(batch.data.children[opIndex + 4] as Data);
      const keep: number[] = [];
      const ops: SyncOp[] = [];
      for (let row = 0; row < batch.numRows; row++, ordinal++) {
        const kind = kinds[row] as Kind;
        const key = keys[row]!;
        const file = files[row]!;
        const where = { row: ordinal, ...(file !== null && { file }) };
        if (kind === 'null-key') {
          const reason = `a primary-key value (${input.keyColumns.join(', ')}) is null`;
          rejected.push({ values: rowValues(batch, row, sourceNames), reason, ...where });
          continue;
        }
        if (key !== null && (seen.flags(key) & DUPLICATE) !== 0) {
          const list = duplicates.get(key) ?? [];
          list.push({ values: rowValues(batch, row, sourceNames), reason: '', key, ...where });
          duplicates.set(key, list);
          continue;
        }
        if (kind === 'unread-duplicate') {
          rejected.push({
            values: rowValues(batch, row, sourceNames),
            reason: `duplicate primary key ${key}: a row of a data file this incremental diff did not read (unchanged) has it too`,
            key: key!,
            ...where,
          });
          continue;
        }
        if (kind === 'skip') continue;
        if (kind === 'same') {
          counts.unchanged++;
          if (input.fullResync !== true) continue;
        } else if (kind === 'new') counts.inserts++;
        else counts.updates++;
        keep.push(row);
        ops.push(opOf(mode));
      }
      for (let start = 0; start < keep.length; start += batchSize) {
        const rows = keep.slice(start, start + batchSize);
        const columns = batch.data.children.map((child, index) =>
          index === opIndex ? utf8Data(ops.slice(start, start + batchSize)) : takeRows(child as Data, rows),
        );
        await out.write(batchOf(schema, columns, rows.length));
      }
    }
    for (const [key, rows] of duplicates) {
      for (const reject of rows) {
        const others = rows
          .filter((other) => other !== reject)
          .map((other) => `row ${other.row}${other.file === undefined ? '' : ` of ${other.file}`}`);
        const named = others.length > 3 ? [...others.slice(0, 3), `${others.length - 3} more`] : others;
        rejected.push({
          ...reject,
          reason: `duplicate primary key ${key}: ${named.join(', ')} ${others.length === 1 ? 'has' : 'have'} it too`,
        });
      }
    }
    rejected.sort((a, b) => a.row - b.row);

    // Deletes (mirror): state keys that left the source, in key order.
    let records = 0;
    if (mode === 'mirror') {
      const deletes = new DeleteWriter(schema, input.keyColumns, keyTypes, sourceNames, batchSize, out);
      if (!incremental) {
        for await (const page of state.records(scope)) {
          input.signal?.throwIfAborted();
          records += page.length;
          for (const record of page) if ((seen.flags(record.key) & SEEN_CURRENT) === 0) await deletes.add(record);
        }
      } else {
        const gone = beforeKeys.filter((key) => (seen.flags(key) & SEEN_CURRENT) === 0).sort(compareUtf8);
        for (let start = 0; start < gone.length; start += batchSize) {
          const slice = gone.slice(start, start + batchSize);
          const known = await state.lookup(scope, slice);
          for (const key of slice) {
            const record = known.get(key);
            if (record !== undefined) await deletes.add(record);
          }
        }
        const meta = await state.meta(scope);
        if (meta !== undefined) records = meta.records;
        else for await (const page of state.records(scope)) records += page.length;
      }
      await deletes.flush();
      counts.deletes = deletes.count;
      checkMassDelete(input, counts.deletes, records, !incremental && sourceRows === 0);
    }
    await out.finish();
    await rm(scratch.path, { force: true });
    return {
      counts,
      rejected,
      changeRows: out.rows,
      schema,
      changes: () => out.read(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function checkMassDelete(input: DiffInput, deletes: number, records: number, emptySource: boolean): void {
  if (deletes === 0 || input.allowMassDelete === true) return;
  const fix = 'if that is intended, run again with --allow-mass-delete (or raise sync.max_delete_fraction)';
  if (emptySource) {
    throw new DeliveryError(
      `destination ${input.scope.destination}: the source has no rows while ${records} records are synced; mirror would delete all ${deletes} of them. Nothing was sent: ${fix}`,
      'MASS_DELETE',
      { category: 'CONFIGURATION', destination: input.scope.destination, option: '--allow-mass-delete' },
    );
  }
  if (deletes / Math.max(records, 1) > input.maxDeleteFraction) {
    const share = ((100 * deletes) / Math.max(records, 1)).toFixed(1);
    throw new DeliveryError(
      `destination ${input.scope.destination}: mirror would delete ${deletes} of ${records} synced records (${share} %), more than sync.max_delete_fraction ${input.maxDeleteFraction}. Nothing was sent: ${fix}`,
      'MASS_DELETE',
      { category: 'CONFIGURATION', destination: input.scope.destination, option: 'sync.max_delete_fraction' },
    );
  }
}

/** Builds `delete` rows (key columns from the key text, other columns null) a batch at a time. */
class DeleteWriter {
  count = 0;
  #pending: SyncStateRecord[] = [];
  readonly #schema: Schema;
  readonly #keyColumns: readonly string[];
  readonly #keyTypes: readonly DataType[];
  readonly #sourceNames: readonly string[];
  readonly #batchSize: number;
  readonly #out: ArrowSpool;

  constructor(
    schema: Schema,
    keyColumns: readonly string[],
    keyTypes: readonly DataType[],
    sourceNames: readonly string[],
    batchSize: number,
    out: ArrowSpool,
  ) {
    this.#schema = schema;
    this.#keyColumns = keyColumns;
    this.#keyTypes = keyTypes;
    this.#sourceNames = sourceNames;
    this.#batchSize = batchSize;
    this.#out = out;
  }

  async add(record: SyncStateRecord): Promise<void> {
    this.#pending.push(record);
    this.count++;
    if (this.#pending.length >= this.#batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    const records = this.#pending;
    if (records.length === 0) return;
    this.#pending = [];
    const keyValues = records.map((record) => parseSyncKey(record.key, this.#keyTypes));
    const columns = this.#sourceNames.map((name, index) => {
      const builder = makeBuilder({
        type: this.#schema.fields[index]!.type as DataType,
        nullValues: [null, undefined],
      });
      const keyIndex = this.#keyColumns.indexOf(name);
      for (let row = 0; row < records.length; row++) builder.append(keyIndex < 0 ? null : keyValues[row]![keyIndex]);
      return builder.finish().flush() as Data;
    });
    columns.push(
      utf8Data(records.map(() => 'delete')),
      utf8Data(records.map((record) => record.key)),
      utf8Data(records.map(() => null)),
      utf8Data(records.map((record) => record.destinationId ?? null)),
      utf8Data(records.map(() => null)),
    );
    await this.#out.write(batchOf(this.#schema, columns, records.length));
  }
}
