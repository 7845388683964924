import avro from 'avsc';
import { avroRegistry } from '../internal/avro/read-avro-file.js';

/** Encodes records as an Avro object container file (deflate), with header metadata. */
export function writeAvroFile(
  schema: Record<string, unknown>,
  records: readonly unknown[],
  metadata: Record<string, string>,
): Promise<Buffer> {
  const type = avro.Type.forSchema(schema as avro.Schema, { registry: avroRegistry() });
  const meta: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(metadata)) meta[k] = Buffer.from(v, 'utf8');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const encoder = new avro.streams.BlockEncoder(
      type as unknown as avro.Schema,
      { codec: 'deflate', metadata: meta } as never,
    );
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('end', () => resolve(Buffer.concat(chunks)));
    encoder.on('error', reject);
    for (const record of records) encoder.write(record);
    encoder.end();
  });
}
