import { createHash } from 'node:crypto';
import type { PlannedSync } from '@floe/core';
import type { MappedColumn } from '../egress/mapping.js';

/**
 * The hash of what fixes a destination's fingerprints — the mode, the primary key and every column sent (source
 * name, destination name, type) — and of its target. A state built under another first part is diffed by a full
 * scan; one built for another target is dropped (see {@link targetSignature}).
 *
 * @example
 * ```ts
 * syncSignature(planned.sync, prepared.columns, prepared.target); // 'a41f…/9c0d…'
 * ```
 */
export function syncSignature(sync: PlannedSync, columns: readonly MappedColumn[], target: string): string {
  const text = JSON.stringify([
    'floe-sync/1',
    sync.mode,
    [...sync.primaryKey],
    columns.map((c) => [c.source, c.target, c.type]),
  ]);
  return `${hash(text)}/${targetSignature(target)}`;
}

/**
 * The part of a signature that names the target (the table or endpoint, without credentials): a state built for
 * another target says nothing about this one.
 */
export function targetSignature(target: string): string {
  return hash(JSON.stringify(['floe-sync-target/1', target]));
}

/** The target part of a {@link syncSignature} (empty for a signature without one). */
export function targetOf(signature: string): string {
  return signature.split('/')[1] ?? '';
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
