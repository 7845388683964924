import { Schema, type RecordBatch } from 'apache-arrow';
import { changesSince } from './changes/changes-since.js';
import type { ChangesOptions, FileBatch, FileBatchOptions, TableChanges } from './changes/table-changes.js';
import { IcebergNotFoundError } from './errors.js';
import { parseNameMapping } from './internal/arrow/file-schema.js';
import { DeleteLoader } from './internal/deletes/delete-loader.js';
import { CountingFileIO } from './internal/io/counting-file-io.js';
import type { FileIO } from './internal/io/file-io.js';
import type { PathResolver } from './internal/io/path-resolver.js';
import { CONTENT_EQUALITY_DELETES, type ContentFile } from './internal/manifest/read-manifest.js';
import { selectSnapshot } from './internal/metadata/select-snapshot.js';
import { snapshotInfo } from './internal/metadata/snapshot-info.js';
import type { Snapshot, TableMetadata } from './internal/metadata/table-metadata.js';
import { equalityFieldLookup, outputShape, scanSchema, topLevelFieldLookup } from './internal/scan/output-shape.js';
import { planFiles, type FileScanTask, type ManifestCache } from './internal/scan/plan-files.js';
import { readFileBatches } from './internal/scan/read-file-batches.js';
import { readTask, rowsAfterPositionDeletes, type OutputShape, type ReadContext } from './internal/scan/read-task.js';
import { throwIfAborted } from './internal/util/abort.js';
import type { BatchOptions, PlannedDeleteFile, ScanOptions, ScanPlan, SnapshotInfo } from './types.js';

/** @internal What {@link openTable} hands to a table. */
export interface TableState {
  io: FileIO;
  paths: PathResolver;
  meta: TableMetadata;
  metadataLocation: string;
  location: string;
  identifier?: string;
}

const DEFAULT_BATCH_SIZE = 65_536;

/**
 * An opened Iceberg table. Reading never loads the whole table: {@link IcebergTable.batches}
 * streams Arrow record batches file by file. Create one with {@link openTable}.
 */
export class IcebergTable {
  private defaultShape: OutputShape | undefined;
  private readonly state: TableState;
  private readonly counter: CountingFileIO;

  /** @internal */
  constructor(state: TableState) {
    this.counter = CountingFileIO.wrap(state.io);
    this.state = { ...state, io: this.counter };
  }

  /** Catalog identifier (`namespace.table`) when opened through a catalog. */
  get identifier(): string | undefined {
    return this.state.identifier;
  }

  /** The table folder the files are read from (the real one for moved tables). */
  get location(): string {
    return this.state.location;
  }

  /** The metadata file that was read. */
  get metadataLocation(): string {
    return this.state.metadataLocation;
  }

  /** The table's `table-uuid` (stable across commits; a replaced table gets a new one). */
  get tableUuid(): string | undefined {
    return this.state.meta.tableUuid;
  }

  /**
   * Bytes fetched from storage by this table so far (metadata, manifests, data and delete files;
   * counted as they arrive, also when opening the table).
   *
   * @example
   * const start = table.bytesRead;
   * for await (const batch of table.batches()) use(batch);
   * console.log(`read ${table.bytesRead - start} bytes`);
   */
  get bytesRead(): number {
    return this.counter.bytesRead;
  }

  /** Iceberg format version (1, 2 or 3). */
  get formatVersion(): number {
    return this.state.meta.formatVersion;
  }

  /** Table properties. */
  get properties(): Readonly<Record<string, string>> {
    return this.state.meta.properties;
  }

  /** Arrow schema of a full scan of the current snapshot (current Iceberg schema, every column). */
  get schema(): Schema {
    return this.shapeFor(null, {}).schema;
  }

  /** Output columns and schema; a full scan with the current schema reuses one Schema instance. */
  private shapeFor(snapshot: Snapshot | null, options: ScanOptions): OutputShape {
    if (options.columns === undefined && !options.useSnapshotSchema) {
      this.defaultShape ??= outputShape(scanSchema(this.state.meta, null, false), undefined);
      return this.defaultShape;
    }
    return outputShape(scanSchema(this.state.meta, snapshot, options.useSnapshotSchema), options.columns);
  }

  /** The current snapshot, or `null` for a table that has none yet. */
  get snapshot(): SnapshotInfo | null {
    const s = selectSnapshot(this.state.meta);
    return s ? snapshotInfo(s) : null;
  }

  /** All snapshots kept in the metadata, oldest first. */
  snapshots(): SnapshotInfo[] {
    return [...this.state.meta.snapshots].sort((a, b) => a.timestampMs - b.timestampMs).map(snapshotInfo);
  }

  /** Arrow schema of the batches a scan with these options yields. */
  schemaFor(options: ScanOptions = {}): Schema {
    return this.shapeFor(selectSnapshot(this.state.meta, options), options).schema;
  }

  private async prepare(
    options: ScanOptions,
  ): Promise<{ snapshot: Snapshot | null; output: OutputShape; tasks: FileScanTask[] }> {
    const { meta, io, paths } = this.state;
    const snapshot = selectSnapshot(meta, options);
    const output = this.shapeFor(snapshot, options);
    const { tasks } = await planFiles(io, paths, meta, snapshot, options.signal);
    return { snapshot, output, tasks };
  }

  private batchSize(options: { batchSize?: number }): number {
    return Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  private readContext(): ReadContext {
    const { io, paths, meta } = this.state;
    const nameMapping = parseNameMapping(meta.properties['schema.name-mapping.default']);
    return {
      io,
      loader: new DeleteLoader(io, paths, equalityFieldLookup(meta), nameMapping),
      specs: meta.specs,
      nameMapping,
      fieldById: topLevelFieldLookup(meta),
    };
  }

  /**
   * Plans a scan: the data files to read, the delete files that apply to each, and row counts.
   *
   * @example
   * const plan = await table.plan({ columns: ['id', 'email'] });
   * console.log(plan.files.length, plan.estimatedRowCount, plan.exact);
   */
  async plan(options: ScanOptions = {}): Promise<ScanPlan> {
    const { snapshot, output, tasks } = await this.prepare(options);
    const planned = new Map<ContentFile, PlannedDeleteFile>();
    const toPlanned = (d: ContentFile): PlannedDeleteFile => {
      let p = planned.get(d);
      if (!p) {
        const equality = d.content === CONTENT_EQUALITY_DELETES;
        p = {
          path: this.state.paths.resolve(d.filePath),
          recordedPath: d.filePath,
          content: equality ? 'equality' : 'position',
          recordCount: d.recordCount,
          fileSizeInBytes: d.fileSizeInBytes,
          sequenceNumber: d.sequenceNumber,
          ...(equality ? { equalityFieldIds: [...d.equalityIds] } : {}),
        };
        planned.set(d, p);
      }
      return p;
    };
    const files = tasks.map((t) => ({
      path: t.location,
      recordedPath: t.file.filePath,
      format: 'parquet' as const,
      recordCount: t.file.recordCount,
      fileSizeInBytes: t.file.fileSizeInBytes,
      specId: t.file.specId,
      partition: { ...t.file.partition },
      sequenceNumber: t.file.sequenceNumber,
      deleteFiles: [...t.positionDeletes, ...t.equalityDeletes].map(toPlanned),
    }));
    const deleteFiles = [...planned.values()];
    const recordCount = files.reduce((n, f) => n + f.recordCount, 0);
    const positionDeletes = deleteFiles.filter((d) => d.content === 'position').reduce((n, d) => n + d.recordCount, 0);
    return {
      snapshot: snapshot ? snapshotInfo(snapshot) : null,
      schema: output.schema,
      files,
      deleteFiles,
      recordCount,
      estimatedRowCount: Math.max(0, recordCount - positionDeletes),
      exact: deleteFiles.length === 0,
    };
  }

  /**
   * Streams the table as Arrow record batches with bounded memory (one data file's row group at a
   * time). Every batch has the same schema ({@link IcebergTable.schemaFor}); deleted rows are removed.
   *
   * @example
   * for await (const batch of table.batches({ columns: ['id', 'email'], batchSize: 10_000 })) {
   *   await sink.write(batch);
   * }
   */
  async *batches(options: BatchOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    const { output, tasks } = await this.prepare(options);
    const context = this.readContext();
    const batchSize = this.batchSize(options);
    for (const task of tasks) {
      throwIfAborted(options.signal);
      yield* readTask(context, task, output, batchSize, options.signal);
    }
  }

  /**
   * Like {@link IcebergTable.batches}, but each batch comes with the recorded path of the data file
   * it was read from; `files` limits the scan to those data files of the selected snapshot (read in
   * plan order).
   *
   * @example
   * for await (const { file, batch } of table.fileBatches({ files: changes.addedFiles })) {
   *   console.log(file, batch.numRows);
   * }
   */
  async *fileBatches(options: FileBatchOptions = {}): AsyncGenerator<FileBatch, void, undefined> {
    const { output, tasks } = await this.prepare(options);
    let selected = tasks;
    if (options.files !== undefined) {
      const wanted = new Set(options.files);
      selected = tasks.filter((t) => wanted.has(t.file.filePath));
      if (selected.length !== wanted.size) {
        const live = new Set(tasks.map((t) => t.file.filePath));
        const missing = [...wanted].filter((f) => !live.has(f));
        throw new IcebergNotFoundError(
          missing[0] as string,
          `${missing.length} of the requested files ${missing.length === 1 ? 'is not a live data file' : 'are not live data files'} of the snapshot: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`,
        );
      }
    }
    yield* readFileBatches(this.readContext(), selected, output, this.batchSize(options), options.signal);
  }

  /**
   * Which data files changed between snapshot `fromSnapshotId` and the current snapshot (or the one
   * `options` select), and reads of only those: `before()` (rows as of `from` of removed and
   * rewritten files) and `after()` (rows as of `to` of added and rewritten files), both with the
   * current schema and `options.columns`. Unchanged files are never read. Not incremental (read the
   * table whole) when `from` expired, is not an ancestor of `to`, or the schema changed in between.
   *
   * @example
   * const changes = await table.changesSince(state.snapshotId, { columns: ['id', 'email'] });
   * if (!changes.incremental) return fullSync(changes.reason);
   * for await (const { file, batch } of changes.before()) forget(file, batch);
   * for await (const { file, batch } of changes.after()) upsert(file, batch);
   */
  async changesSince(fromSnapshotId: string | bigint, options: ChangesOptions = {}): Promise<TableChanges> {
    const { io, paths, meta } = this.state;
    const to = selectSnapshot(meta, options);
    const output = this.shapeFor(to, options);
    const batchSize = this.batchSize(options);
    const context = this.readContext(); // shared: delete files are loaded once for both reads
    const manifests: ManifestCache = new Map(); // and manifests once for both plans
    return changesSince(
      {
        meta,
        plan: (snapshot, signal) => planFiles(io, paths, meta, snapshot, signal, manifests),
        fieldById: context.fieldById,
        positionsFor: (file, deletes, signal) => context.loader.positionsFor(file, deletes, signal),
        read: (tasks, signal, columns) =>
          readFileBatches(
            context,
            tasks,
            columns === undefined ? output : this.shapeFor(to, { ...options, columns: [...columns] }),
            batchSize,
            signal,
          ),
      },
      fromSnapshotId,
      options,
    );
  }

  /**
   * Exact number of rows after deletes. Uses manifest record counts and position deletes without
   * reading data files; files with equality deletes are read (their key columns only).
   */
  async count(options: Omit<ScanOptions, 'columns'> = {}): Promise<number> {
    const { tasks } = await this.prepare({ ...options, columns: [] });
    const context = this.readContext();
    const empty: OutputShape = { columns: [], schema: new Schema([]) };
    let total = 0;
    for (const task of tasks) {
      throwIfAborted(options.signal);
      if (task.equalityDeletes.length === 0) {
        const positions = await context.loader.positionsFor(task.file, task.positionDeletes, options.signal);
        total += rowsAfterPositionDeletes(task.file.recordCount, positions);
        continue;
      }
      for await (const batch of readTask(context, task, empty, DEFAULT_BATCH_SIZE, options.signal))
        total += batch.numRows;
    }
    return total;
  }
}
