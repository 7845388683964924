import { Utf8, Type, type Data, type Field } from 'apache-arrow';
import { IcebergMetadataError } from '../../errors.js';
import { BatchProjector, columnSpec } from '../arrow/batch-projector.js';
import { castPrimitive } from '../arrow/cast-primitive.js';
import type { NameMappingEntry } from '../arrow/file-schema.js';
import type { FileIO } from '../io/file-io.js';
import type { PathResolver } from '../io/path-resolver.js';
import type { ContentFile } from '../manifest/read-manifest.js';
import type { NestedField } from '../metadata/iceberg-schema.js';
import { ParquetSource } from '../parquet/parquet-source.js';
import { DELETE_FILE_PATH_ID, DELETE_POS_ID } from '../scan/delete-index.js';
import { rowKeyEncoder } from './row-key.js';

/** The keys deleted by one equality delete file. */
export interface EqualityDeleteSet {
  fieldIds: number[];
  keys: Set<string>;
}

const STRING = { kind: 'primitive', name: 'string', text: 'string' } as const;
const BATCH = 65_536;

function findColumn(fields: Field[], id: number, name: string): number {
  const byId = fields.findIndex((f) => f.metadata.get('PARQUET:field_id') === String(id));
  return byId >= 0 ? byId : fields.findIndex((f) => f.name === name);
}

/** Loads delete files once per scan (a delete file usually applies to many data files). */
export class DeleteLoader {
  private readonly positions = new Map<string, Promise<Map<string, number[]>>>();
  private readonly equality = new Map<string, Promise<EqualityDeleteSet>>();

  constructor(
    private readonly io: FileIO,
    private readonly paths: PathResolver,
    private readonly fieldById: (id: number) => NestedField | undefined,
    private readonly nameMapping: NameMappingEntry[] | undefined,
  ) {}

  /** Sorted, de-duplicated deleted row positions of a data file. */
  async positionsFor(
    dataFile: ContentFile,
    deletes: readonly ContentFile[],
    signal?: AbortSignal,
  ): Promise<Float64Array> {
    const all: number[] = [];
    for (const del of deletes) {
      let loaded = this.positions.get(del.filePath);
      if (!loaded) {
        loaded = this.loadPositions(del, signal);
        this.positions.set(del.filePath, loaded);
      }
      for (const p of (await loaded).get(dataFile.filePath) ?? []) all.push(p);
    }
    const sorted = Float64Array.from(all).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
    return sorted.subarray(0, n);
  }

  /** The key sets of equality delete files. */
  equalitySets(deletes: readonly ContentFile[], signal?: AbortSignal): Promise<EqualityDeleteSet[]> {
    return Promise.all(
      deletes.map((del) => {
        let loaded = this.equality.get(del.filePath);
        if (!loaded) {
          loaded = this.loadEquality(del, signal);
          this.equality.set(del.filePath, loaded);
        }
        return loaded;
      }),
    );
  }

  private async loadPositions(del: ContentFile, signal?: AbortSignal): Promise<Map<string, number[]>> {
    const location = this.paths.resolve(del.filePath);
    const source = await ParquetSource.open(this.io, location, del.fileSizeInBytes, signal);
    const byPath = new Map<string, number[]>();
    try {
      const fields = source.schema.fields;
      const pathIndex = findColumn(fields, DELETE_FILE_PATH_ID, 'file_path');
      const posIndex = findColumn(fields, DELETE_POS_ID, 'pos');
      if (pathIndex < 0 || posIndex < 0) {
        throw new IcebergMetadataError(`Position delete file ${location} has no file_path/pos columns`, { location });
      }
      const columns = [(fields[pathIndex] as Field).name, (fields[posIndex] as Field).name];
      for await (const batch of source.batches(columns, BATCH, signal)) {
        const names = batch.schema.fields.map((f) => f.name);
        const pathData = castPrimitive(
          batch.data.children[names.indexOf(columns[0] as string)] as Data,
          STRING,
          new Utf8(),
          'file_path',
        );
        const posData = batch.data.children[names.indexOf(columns[1] as string)] as Data;
        const offsets = pathData.valueOffsets as Int32Array;
        const bytes = pathData.values as Uint8Array;
        const pos = posData.values as BigInt64Array | Int32Array;
        if (posData.type.typeId !== Type.Int)
          throw new IcebergMetadataError(`Invalid pos column in ${location}`, { location });
        let last: { start: number; end: number; list: number[] } | undefined;
        for (let i = 0; i < batch.numRows; i++) {
          const start = offsets[i] as number;
          const end = offsets[i + 1] as number;
          if (
            !last ||
            end - start !== last.end - last.start ||
            Buffer.compare(bytes.subarray(start, end), bytes.subarray(last.start, last.end)) !== 0
          ) {
            const path = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
            let list = byPath.get(path);
            if (!list) byPath.set(path, (list = []));
            last = { start, end, list };
          }
          last.list.push(Number(pos[i]));
        }
      }
    } finally {
      await source.close();
    }
    return byPath;
  }

  private async loadEquality(del: ContentFile, signal?: AbortSignal): Promise<EqualityDeleteSet> {
    const location = this.paths.resolve(del.filePath);
    const fields = del.equalityIds.map((id) => {
      const field = this.fieldById(id);
      if (!field)
        throw new IcebergMetadataError(`Equality delete file ${location} uses unknown field id ${id}`, { location });
      return field;
    });
    const specs = fields.map(columnSpec);
    const source = await ParquetSource.open(this.io, location, del.fileSizeInBytes, signal);
    const keys = new Set<string>();
    try {
      const projector = new BatchProjector(source.schema, specs, {
        nameMapping: this.nameMapping,
        partitionValues: new Map(),
        location,
      });
      for await (const batch of source.batches(projector.parquetColumns, BATCH, signal)) {
        const key = rowKeyEncoder(fields.map((f) => projector.column(batch, f.id)));
        for (let i = 0; i < batch.numRows; i++) keys.add(key(i));
      }
    } finally {
      await source.close();
    }
    return { fieldIds: del.equalityIds, keys };
  }
}
