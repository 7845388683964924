import { describe, expect, it } from '@jest/globals';
import avro from 'avsc';
import { readAvroFile } from '../../../src/internal/avro/read-avro-file.js';
import { snappyDecompress } from '../../../src/internal/avro/snappy.js';
import { isIcebergMetadataError, isIcebergUnsupportedError } from '../../../src/index.js';

/** Snappy "compression" of a period-10 input (or any input when `literalOnly`): literals plus copies at offset 10. */
function snappyEncode(data: Uint8Array, literalOnly = false): Uint8Array {
  const out: number[] = [];
  let n = data.length;
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  const headLength = literalOnly ? data.length : Math.min(70, data.length);
  const head = data.subarray(0, headLength);
  out.push(62 << 2, (head.length - 1) & 0xff, ((head.length - 1) >> 8) & 0xff, (head.length - 1) >> 16, ...head);
  let pos = head.length;
  while (pos + 8 <= data.length) {
    out.push(((8 - 4) << 2) | 1, 10); // copy 8 bytes from 10 back (1-byte offset form)
    pos += 8;
  }
  if (pos < data.length) out.push((data.length - pos - 1) << 2, ...data.subarray(pos));
  return Uint8Array.from(out);
}

function encodeFile(codec: string, codecs?: Record<string, unknown>): Promise<Buffer> {
  const type = avro.Type.forSchema({
    type: 'record',
    name: 'r',
    fields: [
      { name: 'id', type: 'long' },
      { name: 's', type: 'string' },
    ],
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const encoder = new avro.streams.BlockEncoder(
      type as unknown as avro.Schema,
      { codec, codecs, metadata: { k: Buffer.from('v') } } as never,
    );
    encoder.on('data', (c: Buffer) => chunks.push(c));
    encoder.on('end', () => resolve(Buffer.concat(chunks)));
    encoder.on('error', reject);
    for (let i = 0; i < 20; i++) encoder.write({ id: i, s: 'abcdefgh'.repeat(3) });
    encoder.end();
  });
}

describe('readAvroFile', () => {
  it('decodes snappy blocks when the file uses the snappy codec', async () => {
    const bytes = await encodeFile('snappy', {
      snappy: (buf: Buffer, cb: (e: Error | null, out?: Buffer) => void) =>
        cb(null, Buffer.concat([Buffer.from(snappyEncode(buf, true)), Buffer.alloc(4)])),
    });
    const file = await readAvroFile(bytes, 'mem.avro');
    expect(file.metadata.k).toBe('v');
    expect(file.records).toHaveLength(20);
    expect(file.records[19]).toEqual({ id: 19n, s: 'abcdefgh'.repeat(3) });
  });

  it('refuses unknown codecs and reports corrupt files naming the location', async () => {
    const bytes = await encodeFile('lzma', {
      lzma: (buf: Buffer, cb: (e: Error | null, out?: Buffer) => void) => cb(null, buf),
    });
    const unsupported = await readAvroFile(bytes, 'x.avro').catch((e: unknown) => e);
    expect(isIcebergUnsupportedError(unsupported)).toBe(true);
    expect((unsupported as Error).message).toMatch(/codec "lzma" in x\.avro/);
    const corrupt = await readAvroFile(new TextEncoder().encode('not avro'), 'bad.avro').catch((e: unknown) => e);
    expect(isIcebergMetadataError(corrupt)).toBe(true);
    expect((corrupt as Error).message).toContain('bad.avro');
  });
});

describe('snappyDecompress', () => {
  it('round-trips literals and copies when given a valid block', () => {
    const data = new TextEncoder().encode('0123456789'.repeat(20) + '0123');
    expect(Buffer.from(snappyDecompress(snappyEncode(data))).toString()).toBe('0123456789'.repeat(20) + '0123');
    // 2- and 4-byte offset copies
    expect(
      Buffer.from(
        snappyDecompress(Uint8Array.from([8, 4 << 2, 97, 98, 99, 100, 101, ((3 - 1) << 2) | 2, 5, 0])),
      ).toString(),
    ).toBe('abcdeabc');
    expect(
      Buffer.from(snappyDecompress(Uint8Array.from([6, 1 << 2, 120, 121, ((4 - 1) << 2) | 3, 2, 0, 0, 0]))).toString(),
    ).toBe('xyxyxy');
  });

  it('throws when the block is malformed', () => {
    expect(() => snappyDecompress(Uint8Array.from([]))).toThrow(/length/);
    expect(() => snappyDecompress(Uint8Array.from([4, ((4 - 4) << 2) | 1, 9]))).toThrow(/out of bounds/);
    expect(() => snappyDecompress(Uint8Array.from([4, 0 << 2, 97]))).toThrow(/expected 4 bytes/);
    expect(() => snappyDecompress(Uint8Array.from([1, 5 << 2, 97]))).toThrow(/literal out of bounds/);
  });
});
