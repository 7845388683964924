import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'lossless-json';
import { ColumnStats } from './column-stats.js';
import { metadataDocument } from './metadata-document.js';
import type { CommitInput, CommitResult, IcebergTableWriterOptions, WriterFileInput } from './writer-types.js';
import {
  writeManifest,
  writeManifestList,
  type PartitionFieldSpec,
  type WrittenFile,
  type WrittenManifest,
} from './write-manifests.js';
import {
  POSITION_DELETE_FIELDS,
  positionDeleteBatch,
  writeParquetFile,
  type IcebergJsonField,
} from './write-parquet-file.js';

const FIRST_SNAPSHOT_ID = 8_000_000_000_000_000_001n; // > 2^53: exercises 64-bit ids

/**
 * Writes real Iceberg tables (metadata.json, Avro manifest lists and manifests, Parquet data and
 * delete files) for tests and benchmarks. Not a general-purpose writer: no concurrency control,
 * identity partitions only.
 */
export class IcebergTableWriter {
  private schemas: { 'schema-id': number; type: 'struct'; fields: IcebergJsonField[] }[];
  private readonly snapshots: Record<string, unknown>[] = [];
  private manifests: WrittenManifest[] = [];
  private liveData: WrittenFile[] = [];
  private sequence = 0n;
  private version = 0;
  private lastTimestamp = 0;
  private currentSnapshotId: bigint | undefined;
  private lastMetadata = '';
  /** Snapshots committed (expired ones included): numbers the next snapshot id. */
  private committed = 0;
  private readonly uuid = randomUUID();
  private readonly spec: PartitionFieldSpec[];

  private constructor(private readonly options: IcebergTableWriterOptions) {
    this.schemas = [{ 'schema-id': 0, type: 'struct', fields: options.fields }];
    this.spec = (options.partitionBy ?? []).map((p, i) => ({ ...p, fieldId: 1000 + i }));
  }

  /** Creates the table folder and writes the first metadata file (no snapshot). */
  static async create(options: IcebergTableWriterOptions): Promise<IcebergTableWriter> {
    const writer = new IcebergTableWriter(options);
    await mkdir(join(options.location, 'metadata'), { recursive: true });
    await mkdir(join(options.location, 'data'), { recursive: true });
    await writer.writeMetadata();
    return writer;
  }

  private get formatVersion(): number {
    return this.options.formatVersion ?? 2;
  }

  private get fields(): IcebergJsonField[] {
    return (this.schemas[this.schemas.length - 1] as { fields: IcebergJsonField[] }).fields;
  }

  private recorded(relative: string): string {
    return `${(this.options.recordedLocation ?? this.options.location).replace(/\/+$/, '')}/${relative}`;
  }

  /** The path of the newest metadata file written (what `openTable({ metadataUri })` opens). */
  get metadataLocation(): string {
    return this.lastMetadata;
  }

  /**
   * Expires snapshots as an engine's `expire_snapshots` does: removes them from the snapshots and the snapshot log
   * (their files stay) and writes a new metadata version. The current snapshot cannot be expired.
   */
  async expireSnapshots(ids: readonly bigint[]): Promise<void> {
    if (this.currentSnapshotId !== undefined && ids.includes(this.currentSnapshotId))
      throw new Error(`snapshot ${this.currentSnapshotId} is the current snapshot: it cannot be expired`);
    const gone = new Set(ids.map(String));
    const kept = this.snapshots.filter((s) => !gone.has(String(s['snapshot-id'])));
    this.snapshots.splice(0, this.snapshots.length, ...kept);
    await this.writeMetadata();
  }

  /** Adds a schema (e.g. an added column, a renamed one, int → long) and makes it current. */
  async evolveSchema(fields: IcebergJsonField[]): Promise<void> {
    this.schemas.push({ 'schema-id': this.schemas.length, type: 'struct', fields });
    await this.writeMetadata();
  }

  private async writeData(
    input: WriterFileInput,
    content: 0 | 2,
    fields: readonly IcebergJsonField[],
  ): Promise<WrittenFile> {
    const name = `data/${content === 0 ? '' : 'delete-'}${String(this.sequence).padStart(5, '0')}-${randomUUID()}.parquet`;
    const stats = this.options.columnStats ? new ColumnStats(fields) : undefined;
    const { recordCount, fileSizeInBytes } = await writeParquetFile(
      join(this.options.location, name),
      stats ? stats.tap(input.batches) : input.batches,
      fields,
      input.rowGroupSize,
    );
    return {
      content,
      path: this.recorded(name),
      format: 'PARQUET',
      recordCount,
      fileSizeInBytes,
      partition: input.partition ?? {},
      ...(stats ? { stats: stats.result() } : {}),
    };
  }

  private async writePositionDeletes(
    rows: { path: string; pos: number }[],
    partition: Record<string, unknown>,
  ): Promise<WrittenFile> {
    const file = await this.writeData({ batches: [positionDeleteBatch(rows)], partition }, 2, POSITION_DELETE_FIELDS);
    return { ...file, content: 1 };
  }

  /** Commits one snapshot; returns its id, sequence number and the recorded paths of new data files. */
  async commit(input: CommitInput): Promise<CommitResult> {
    const sequenceNumber = this.formatVersion === 1 ? 0n : this.sequence + 1n;
    this.sequence += 1n;
    const snapshotId = FIRST_SNAPSHOT_ID + BigInt(this.committed) * 1_000_003n;
    this.committed += 1;
    const timestampMs = Math.max(input.timestampMs ?? Date.now(), this.lastTimestamp + 1);
    this.lastTimestamp = timestampMs;
    const added: WrittenFile[] = [];
    for (const f of input.dataFiles ?? []) added.push(await this.writeData(f, 0, this.fields));
    for (const f of input.externalDataFiles ?? []) added.push({ content: 0, partition: {}, ...f });
    const deletes: WrittenFile[] = [];
    for (const d of input.positionDeletes ?? [])
      deletes.push(await this.writePositionDeletes(d.rows, d.partition ?? {}));
    for (const d of input.equalityDeletes ?? [])
      deletes.push({ ...(await this.writeData(d, 2, this.fields)), equalityIds: d.fieldIds });
    for (const dv of input.deletionVectors ?? []) {
      deletes.push({
        content: 1,
        path: this.recorded(`data/dv-${randomUUID()}.puffin`),
        format: 'PUFFIN',
        recordCount: 1,
        fileSizeInBytes: 64,
        partition: {},
        referencedDataFile: dv.referencedDataFile,
        contentOffset: 4n,
        contentSizeInBytes: 40n,
      });
    }
    const newManifests: WrittenManifest[] = [];
    const writeOne = async (kind: string, content: 0 | 1, entries: { status: 0 | 1 | 2; file: WrittenFile }[]) => {
      const name = `metadata/${randomUUID()}-${kind}.avro`;
      const location = join(this.options.location, name);
      const schemaJson = this.schemas[this.schemas.length - 1];
      const common = {
        formatVersion: this.formatVersion,
        snapshotId,
        sequenceNumber,
        spec: this.spec,
        fields: this.fields,
      };
      newManifests.push(
        await writeManifest({ ...common, schemaJson, location, recordedPath: this.recorded(name), content, entries }),
      );
    };
    const removed = new Set(input.removeDataFiles ?? []);
    if (removed.size > 0) {
      await writeOne(
        'm-rewrite',
        0,
        this.liveData.map((file) => ({ status: removed.has(file.path) ? 2 : 0, file })),
      );
      this.manifests = this.manifests.filter((m) => m.content !== 0);
      this.liveData = this.liveData.filter((f) => !removed.has(f.path));
    }
    if (added.length > 0)
      await writeOne(
        'm-data',
        0,
        added.map((file) => ({ status: 1, file })),
      );
    if (deletes.length > 0)
      await writeOne(
        'm-deletes',
        1,
        deletes.map((file) => ({ status: 1, file })),
      );
    for (const f of added) this.liveData.push({ ...f, sequenceNumber, snapshotId });
    this.manifests = [...newManifests, ...this.manifests];
    const listName = `metadata/snap-${snapshotId}-1-${randomUUID()}.avro`;
    await writeManifestList({
      location: join(this.options.location, listName),
      formatVersion: this.formatVersion,
      manifests: this.manifests,
      snapshotId,
      parentSnapshotId: this.currentSnapshotId,
      sequenceNumber,
    });
    const addedRecords = added.reduce((n, f) => n + f.recordCount, 0);
    this.snapshots.push({
      'snapshot-id': snapshotId,
      ...(this.currentSnapshotId !== undefined ? { 'parent-snapshot-id': this.currentSnapshotId } : {}),
      ...(this.formatVersion >= 2 ? { 'sequence-number': sequenceNumber } : {}),
      'timestamp-ms': timestampMs,
      'manifest-list': this.recorded(listName),
      summary: {
        operation: input.operation ?? (removed.size > 0 ? 'overwrite' : deletes.length > 0 ? 'delete' : 'append'),
        'added-records': String(addedRecords),
      },
      'schema-id': this.schemas.length - 1,
    });
    this.currentSnapshotId = snapshotId;
    await this.writeMetadata();
    return { snapshotId, sequenceNumber, timestampMs, dataFiles: added.map((f) => f.path) };
  }

  private async writeMetadata(): Promise<void> {
    this.version += 1;
    const doc = metadataDocument({
      formatVersion: this.formatVersion,
      uuid: this.uuid,
      location: this.options.recordedLocation ?? this.options.location,
      lastUpdatedMs: this.lastTimestamp || Date.now(),
      lastSequenceNumber: this.formatVersion === 1 ? 0n : this.sequence,
      schemas: this.schemas,
      spec: this.spec,
      properties: this.options.properties ?? {},
      currentSnapshotId: this.currentSnapshotId,
      snapshots: this.snapshots,
    });
    const hint = this.options.versionHint ?? true;
    const name = hint
      ? `v${this.version}.metadata.json`
      : `${String(this.version - 1).padStart(5, '0')}-${randomUUID()}.metadata.json`;
    this.lastMetadata = join(this.options.location, 'metadata', name);
    await writeFile(this.lastMetadata, stringify(doc, null, 2) ?? '');
    if (hint) await writeFile(join(this.options.location, 'metadata', 'version-hint.text'), String(this.version));
  }
}
