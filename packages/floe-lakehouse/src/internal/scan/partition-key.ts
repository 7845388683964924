function encodeValue(value: unknown): string {
  if (value === null || value === undefined) return '\u2205';
  if (typeof value === 'bigint') return `l${value}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'n-0' : `n${value}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (value instanceof Uint8Array)
    return `b${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return `o${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
}

/** A string identifying a partition: spec id plus the partition tuple, in spec field order. */
export function partitionKey(specId: number, partition: Record<string, unknown>): string {
  return `${specId}|${Object.values(partition).map(encodeValue).join('|')}`;
}
