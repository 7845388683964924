import { createHash } from 'node:crypto';
import type { PlannedSync } from '@floe/core';
import type { MappedColumn } from '../egress/mapping.js';

/**
 * The hash of what fixes a destination's fingerprints: the mode, the primary key and every column sent (source
 * name, destination name, type). A state built under another signature is diffed by a full scan.
 *
 * @example
 * ```ts
 * syncSignature(planned.sync, prepared.columns); // 'a41f…' (16 hex digits)
 * ```
 */
export function syncSignature(sync: PlannedSync, columns: readonly MappedColumn[]): string {
  const text = JSON.stringify([
    'floe-sync/1',
    sync.mode,
    [...sync.primaryKey],
    columns.map((c) => [c.source, c.target, c.type]),
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
