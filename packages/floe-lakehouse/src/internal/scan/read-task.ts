import { makeData, RecordBatch, Struct, type Data, type Schema } from 'apache-arrow';
import { BatchProjector, columnSpec, type ColumnSpec } from '../arrow/batch-projector.js';
import type { NameMappingEntry } from '../arrow/file-schema.js';
import { valueFromPartition, type IcebergValue } from '../arrow/iceberg-values.js';
import { takeData } from '../arrow/take-data.js';
import type { DeleteLoader, EqualityDeleteSet } from '../deletes/delete-loader.js';
import { rowKeyEncoder } from '../deletes/row-key.js';
import type { FileIO } from '../io/file-io.js';
import type { NestedField } from '../metadata/iceberg-schema.js';
import type { PartitionSpec } from '../metadata/table-metadata.js';
import { ParquetSource } from '../parquet/parquet-source.js';
import { throwIfAborted } from '../util/abort.js';
import type { FileScanTask } from './plan-files.js';

/** What reading a data file needs besides the task itself. */
export interface ReadContext {
  io: FileIO;
  loader: DeleteLoader;
  specs: readonly PartitionSpec[];
  nameMapping: NameMappingEntry[] | undefined;
  /** Top-level field by id across the table's schemas (equality delete columns may be dropped ones). */
  fieldById: (id: number) => NestedField | undefined;
}

/** The projected output: Iceberg columns and the Arrow schema every batch carries. */
export interface OutputShape {
  columns: ColumnSpec[];
  schema: Schema;
}

function identityPartitionValues(ctx: ReadContext, task: FileScanTask): Map<number, IcebergValue> {
  const values = new Map<number, IcebergValue>();
  const spec = ctx.specs.find((s) => s.specId === task.file.specId);
  const tuple = Object.values(task.file.partition);
  spec?.fields.forEach((pf, i) => {
    const source = ctx.fieldById(pf.sourceId);
    if (pf.transform === 'identity' && source && i < tuple.length)
      values.set(pf.sourceId, valueFromPartition(source.type, tuple[i]));
  });
  return values;
}

function countInRange(sorted: Float64Array, limit: number): number {
  let n = 0;
  while (n < sorted.length && (sorted[n] as number) < limit) n++;
  return n;
}

/** First index of `sorted` whose value is ≥ `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function groupSets(sets: EqualityDeleteSet[]): { fieldIds: number[]; sets: Set<string>[] }[] {
  const groups = new Map<string, { fieldIds: number[]; sets: Set<string>[] }>();
  for (const s of sets) {
    const key = s.fieldIds.join(',');
    const group = groups.get(key) ?? { fieldIds: s.fieldIds, sets: [] };
    group.sets.push(s.keys);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Number of rows of a data file left after its position deletes, without reading it. */
export function rowsAfterPositionDeletes(recordCount: number, positions: Float64Array): number {
  return recordCount - countInRange(positions, recordCount);
}

/**
 * Streams one data file as output batches: reads the needed columns, drops rows deleted by
 * position and equality deletes, and maps columns to the output schema by field id.
 */
export async function* readTask(
  ctx: ReadContext,
  task: FileScanTask,
  output: OutputShape,
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<RecordBatch> {
  const positions = await ctx.loader.positionsFor(task.file, task.positionDeletes, signal);
  if (rowsAfterPositionDeletes(task.file.recordCount, positions) === 0 && task.file.recordCount > 0) return;
  const groups = groupSets(await ctx.loader.equalitySets(task.equalityDeletes, signal));
  const extra = groups
    .flatMap((g) => g.fieldIds)
    .filter((id, i, all) => all.indexOf(id) === i && !output.columns.some((c) => c.field.id === id))
    .map((id) => columnSpec(ctx.fieldById(id) as NestedField));
  const source = await ParquetSource.open(ctx.io, task.location, task.file.fileSizeInBytes, signal);
  try {
    const projector = new BatchProjector(source.schema, [...output.columns, ...extra], {
      nameMapping: ctx.nameMapping,
      partitionValues: identityPartitionValues(ctx, task),
      location: task.location,
    });
    const structType = new Struct(output.schema.fields);
    let rowStart = 0;
    for await (const batch of source.batches(projector.parquetColumns, batchSize, signal)) {
      throwIfAborted(signal);
      const n = batch.numRows;
      const deleted = new Uint8Array(n);
      let deletedCount = 0;
      for (
        let p = lowerBound(positions, rowStart);
        p < positions.length && (positions[p] as number) < rowStart + n;
        p++
      ) {
        deleted[(positions[p] as number) - rowStart] = 1;
        deletedCount++;
      }
      for (const group of groups) {
        const key = rowKeyEncoder(group.fieldIds.map((id) => projector.column(batch, id)));
        for (let i = 0; i < n; i++) {
          if (deleted[i] === 0 && group.sets.some((s) => s.has(key(i)))) {
            deleted[i] = 1;
            deletedCount++;
          }
        }
      }
      rowStart += n;
      if (deletedCount === n) continue;
      let columns: Data[] = output.columns.map((c) => projector.column(batch, c.field.id));
      if (deletedCount > 0) {
        const keep = new Int32Array(n - deletedCount);
        for (let i = 0, k = 0; i < n; i++) if (deleted[i] === 0) keep[k++] = i;
        columns = columns.map((c) => takeData(c, keep));
      }
      const length = n - deletedCount;
      yield new RecordBatch(output.schema, makeData({ type: structType, length, nullCount: 0, children: columns }));
    }
  } finally {
    await source.close();
  }
}
