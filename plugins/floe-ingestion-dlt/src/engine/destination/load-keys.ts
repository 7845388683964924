import { createHash } from 'node:crypto';

/** The idempotency key of batch `index`: the same for the same base, position and Arrow content (`digest`). */
export function batchIdempotencyKey(base: string, index: number, digest: string): string {
  return sha256(base, String(index), digest);
}

/** The receipt's idempotency key when the caller gave none: derived from the destination and every batch key. */
export function loadIdempotencyKey(identity: string, batchKeys: readonly string[]): string {
  return sha256(identity, ...batchKeys);
}

function sha256(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
