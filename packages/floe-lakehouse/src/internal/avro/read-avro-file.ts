import avro from 'avsc';
import * as zlib from 'node:zlib';
import { IcebergMetadataError, IcebergUnsupportedError } from '../../errors.js';
import { snappyDecompress } from './snappy.js';

/** Avro `long` decoded as a BigInt: snapshot ids and sequence numbers need all 64 bits. */
export const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** A fresh type registry (named types must not leak between files) with the BigInt long. */
export function avroRegistry(): Record<string, avro.Type> {
  return { long: BIGINT_LONG };
}

type Codec = (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => void;

function codecs(): Record<string, Codec> {
  const result: Record<string, Codec> = {
    null: (buf, cb) => cb(null, buf),
    deflate: (buf, cb) => zlib.inflateRaw(buf, cb),
    snappy: (buf, cb) => {
      try {
        cb(null, Buffer.from(snappyDecompress(buf.subarray(0, buf.length - 4))));
      } catch (e) {
        cb(e as Error);
      }
    },
  };
  const zstd = (zlib as unknown as { zstdDecompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void })
    .zstdDecompress;
  if (zstd) result.zstandard = (buf, cb) => zstd(buf, cb);
  return result;
}

/** An Avro object container file: header metadata plus all records. */
export interface AvroFile {
  metadata: Record<string, string>;
  records: Record<string, unknown>[];
}

/** Decodes an Avro object container file (codecs: null, deflate, snappy, and zstandard when Node has it). */
export async function readAvroFile(bytes: Uint8Array, location: string): Promise<AvroFile> {
  return new Promise<AvroFile>((resolve, reject) => {
    const metadata: Record<string, string> = {};
    const records: Record<string, unknown>[] = [];
    const decoder = new avro.streams.BlockDecoder({
      codecs: codecs() as never,
      parseHook: (schema) => avro.Type.forSchema(schema as avro.Schema, { registry: avroRegistry() }),
    });
    decoder.on('metadata', (_type: unknown, _codec: string, header: { meta: Record<string, Buffer> }) => {
      for (const [k, v] of Object.entries(header.meta)) metadata[k] = v.toString('utf8');
    });
    decoder.on('data', (record: Record<string, unknown>) => records.push(record));
    decoder.on('end', () => resolve({ metadata, records }));
    decoder.on('error', (cause: Error) => {
      const codec = /unknown codec: (\S+)/.exec(cause.message)?.[1];
      reject(
        codec
          ? new IcebergUnsupportedError(
              `Avro codec ${codec}`,
              `Unsupported Avro compression codec "${codec}" in ${location}`,
              { cause },
            )
          : new IcebergMetadataError(`Cannot decode Avro file ${location}: ${cause.message}`, { location, cause }),
      );
    });
    decoder.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
