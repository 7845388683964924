import { open } from 'node:fs/promises';
import {
  Field,
  List,
  makeData,
  makeVector,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { loadParquetWasm } from '../internal/parquet/parquet-source.js';

/** Iceberg JSON field, as in a table schema (`{ id, name, required, type }`). */
export interface IcebergJsonField {
  id: number;
  name: string;
  required?: boolean;
  type: unknown;
  'initial-default'?: unknown;
}

function withIds(field: Field, iceberg: IcebergJsonField | undefined): Field {
  const metadata = new Map(field.metadata);
  if (iceberg) metadata.set('PARQUET:field_id', String(iceberg.id));
  const type =
    iceberg && typeof iceberg.type === 'object'
      ? retype(field.type, iceberg.type as Record<string, unknown>)
      : field.type;
  return new Field(field.name, type, field.nullable, metadata);
}

function retype(type: DataType, json: Record<string, unknown>): DataType {
  if (type instanceof Struct && Array.isArray(json.fields)) {
    const fields = json.fields as IcebergJsonField[];
    return new Struct(
      type.children.map((c) =>
        withIds(
          c,
          fields.find((f) => f.name === c.name),
        ),
      ),
    );
  }
  if (type instanceof List && typeof json['element-id'] === 'number') {
    return new List(
      withIds(type.children[0] as Field, { id: json['element-id'], name: 'element', type: json.element }),
    );
  }
  if (type instanceof Map_ && typeof json['key-id'] === 'number') {
    const entries = type.children[0] as Field<Struct>;
    const [k, v] = entries.type.children as [Field, Field];
    const struct = new Struct([
      withIds(k, { id: json['key-id'], name: 'key', type: json.key }),
      withIds(v, { id: json['value-id'] as number, name: 'value', type: json.value }),
    ]);
    return new Map_(new Field(entries.name, struct, false) as never, type.keysSorted);
  }
  return type;
}

/** The batch's schema with `PARQUET:field_id` metadata taken from the Iceberg fields of the same name. */
export function schemaWithFieldIds(schema: Schema, fields: readonly IcebergJsonField[]): Schema {
  return new Schema(
    schema.fields.map((f) =>
      withIds(
        f,
        fields.find((x) => x.name === f.name),
      ),
    ),
    schema.metadata,
  );
}

/**
 * Streams Arrow record batches into a Parquet file (zstd, `rowGroupSize` rows per row group) with
 * Iceberg field ids; memory stays bounded by one batch. Returns rows written and file size.
 */
export async function writeParquetFile(
  path: string,
  batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>,
  fields: readonly IcebergJsonField[],
  rowGroupSize = 100_000,
): Promise<{ recordCount: number; fileSizeInBytes: number }> {
  const wasm = await loadParquetWasm();
  let recordCount = 0;
  const iterator = (
    Symbol.asyncIterator in batches
      ? batches[Symbol.asyncIterator]()
      : (batches as Iterable<RecordBatch>)[Symbol.iterator]()
  ) as AsyncIterator<RecordBatch> | Iterator<RecordBatch>;
  const input = new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) return controller.close();
      const batch = next.value as RecordBatch;
      recordCount += batch.numRows;
      const schema = schemaWithFieldIds(batch.schema, fields);
      const relabeled = new RecordBatch(
        schema,
        makeData({
          type: new Struct(schema.fields),
          length: batch.numRows,
          nullCount: 0,
          children: batch.data.children as Data[],
        }),
      );
      controller.enqueue(wasm.Table.fromIPCStream(tableToIPC(new Table([relabeled]), 'stream')).recordBatch(0));
    },
  });
  const props = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  const output = await wasm.transformParquetStream(input, props);
  const handle = await open(path, 'w');
  let fileSizeInBytes = 0;
  try {
    const reader = (output as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await handle.write(value);
      fileSizeInBytes += value.byteLength;
    }
  } finally {
    await handle.close();
  }
  return { recordCount, fileSizeInBytes };
}

/** Fields of a position delete file (reserved Iceberg field ids). */
export const POSITION_DELETE_FIELDS: IcebergJsonField[] = [
  { id: 2147483546, name: 'file_path', required: true, type: 'string' },
  { id: 2147483545, name: 'pos', required: true, type: 'long' },
];

/** A position delete batch, sorted by file path then position as the spec requires. */
export function positionDeleteBatch(rows: readonly { path: string; pos: number }[]): RecordBatch {
  const sorted = [...rows].sort((a, b) => (a.path === b.path ? a.pos - b.pos : a.path < b.path ? -1 : 1));
  return new Table({
    file_path: vectorFromArray(
      sorted.map((r) => r.path),
      new Utf8(),
    ),
    pos: makeVector(BigInt64Array.from(sorted.map((r) => BigInt(r.pos)))),
  }).batches[0] as RecordBatch;
}
