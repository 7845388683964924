import { Float64, Int64, Utf8, makeTable, vectorFromArray, type Vector } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';

/** A row of a generated table (`note` exists once {@link GeneratedTable.addColumn} ran). */
export interface GeneratedRow {
  readonly id: number | null;
  readonly name: string | null;
  readonly amount: number | null;
  readonly note?: string | null;
}

const BASE_FIELDS = [
  { id: 1, name: 'id', required: false, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
];
const NOTE_FIELD = { id: 4, name: 'note', required: false, type: 'string' };

const column = (vector: Vector): never => vector.data[0] as never;

/**
 * A generated Iceberg table, written version by version with the test writer, that knows the rows each version
 * must hold (tracked here, never read back through the code under test): appends, copy-on-write rewrites,
 * position deletes, equality deletes, an added nullable column and expired snapshots.
 */
export class GeneratedTable {
  readonly #writer: IcebergTableWriter;
  /** Per live data file: its recorded path and its rows by position (`null`: deleted by a position/equality delete). */
  readonly #files: { path: string; rows: (GeneratedRow | null)[] }[] = [];
  #withNote = false;
  #snapshots: bigint[] = [];

  private constructor(writer: IcebergTableWriter) {
    this.#writer = writer;
  }

  /** Creates the table at `location` (id, name, amount; column statistics on) with `rows` in `files` data files. */
  static async create(location: string, rows: readonly GeneratedRow[], files: number): Promise<GeneratedTable> {
    const writer = await IcebergTableWriter.create({
      location,
      fields: BASE_FIELDS.map((field) => ({ ...field })),
      columnStats: true,
    });
    const table = new GeneratedTable(writer);
    const per = Math.ceil(rows.length / files);
    await table.#commit(
      {},
      Array.from({ length: files }, (_, f) => rows.slice(f * per, (f + 1) * per)),
    );
    return table;
  }

  /** The newest metadata file (a destination's `source_table`). */
  get metadata(): string {
    return this.#writer.metadataLocation;
  }

  /** The recorded paths of the live data files, in writing order. */
  get files(): string[] {
    return this.#files.map((file) => file.path);
  }

  /** The live rows of the current version. */
  rows(): GeneratedRow[] {
    return this.#files.flatMap((file) => file.rows.filter((row): row is GeneratedRow => row !== null));
  }

  /** Appends `rows` as one new data file. */
  async append(rows: readonly GeneratedRow[]): Promise<void> {
    await this.#commit({}, [rows]);
  }

  /** Rewrites data file `index` copy-on-write: the file is replaced by one holding `next(its live rows)`. */
  async rewrite(index: number, next: (rows: readonly GeneratedRow[]) => GeneratedRow[]): Promise<void> {
    const file = this.#file(index);
    const rows = next(file.rows.filter((row): row is GeneratedRow => row !== null));
    this.#files.splice(index, 1);
    await this.#commit({ removeDataFiles: [file.path], operation: 'overwrite' }, [rows]);
  }

  /** Deletes rows of data file `index` by position (merge-on-read). */
  async deletePositions(index: number, positions: readonly number[]): Promise<void> {
    const file = this.#file(index);
    for (const pos of positions) file.rows[pos] = null;
    await this.#commit({ positionDeletes: [{ rows: positions.map((pos) => ({ path: file.path, pos })) }] }, []);
  }

  /** Deletes every row whose id is in `ids` with an equality delete on `id` (merge-on-read). */
  async deleteIds(ids: readonly number[]): Promise<void> {
    const gone = new Set(ids);
    for (const file of this.#files) file.rows = file.rows.map((row) => (row && gone.has(row.id ?? NaN) ? null : row));
    const batch = makeTable({
      id: column(
        vectorFromArray(
          ids.map((id) => BigInt(id)),
          new Int64(),
        ),
      ),
    }).batches;
    await this.#commit({ equalityDeletes: [{ fieldIds: [1], batches: batch }] }, []);
  }

  /** Adds the nullable column `note` (a schema change): older files read it as null, new files carry it. */
  async addColumn(): Promise<void> {
    await this.#writer.evolveSchema([...BASE_FIELDS, NOTE_FIELD].map((field) => ({ ...field })));
    this.#withNote = true;
    for (const file of this.#files) file.rows = file.rows.map((row) => (row ? { ...row, note: null } : row));
  }

  /** Expires every snapshot but the current one (the table's content does not change). */
  async expireHistory(): Promise<void> {
    const current = this.#snapshots[this.#snapshots.length - 1];
    await this.#writer.expireSnapshots(this.#snapshots.filter((id) => id !== current));
    this.#snapshots = current === undefined ? [] : [current];
  }

  #file(index: number): { path: string; rows: (GeneratedRow | null)[] } {
    const file = this.#files[index];
    if (file === undefined) throw new Error(`no data file ${index}`);
    return file;
  }

  async #commit(
    input: Omit<Parameters<IcebergTableWriter['commit']>[0], 'dataFiles'>,
    files: readonly (readonly GeneratedRow[])[],
  ): Promise<void> {
    const withNote = this.#withNote;
    const normal = files.map((rows) => rows.map((row) => (withNote ? { ...row, note: row.note ?? null } : row)));
    const result = await this.#writer.commit({
      ...input,
      dataFiles: normal.map((rows) => ({ batches: this.#batches(rows), rowGroupSize: 1_000 })),
    });
    this.#snapshots.push(result.snapshotId);
    normal.forEach((rows, f) => this.#files.push({ path: result.dataFiles[f] ?? '', rows: [...rows] }));
  }

  #batches(rows: readonly GeneratedRow[]) {
    const columns: Record<string, never> = {
      id: column(
        vectorFromArray(
          rows.map((row) => (row.id === null ? null : BigInt(row.id))),
          new Int64(),
        ),
      ),
      name: column(
        vectorFromArray(
          rows.map((row) => row.name),
          new Utf8(),
        ),
      ),
      amount: column(
        vectorFromArray(
          rows.map((row) => row.amount),
          new Float64(),
        ),
      ),
    };
    if (this.#withNote)
      columns.note = column(
        vectorFromArray(
          rows.map((row) => row.note ?? null),
          new Utf8(),
        ),
      );
    return makeTable(columns).batches;
  }
}

/** `count` rows from id `first` on: `name` `n<id>`, `amount` `id * 1.5`. */
export function generatedRows(first: number, count: number): GeneratedRow[] {
  return Array.from({ length: count }, (_, i) => ({ id: first + i, name: `n${first + i}`, amount: (first + i) * 1.5 }));
}
