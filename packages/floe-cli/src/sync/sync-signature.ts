import { createHash } from 'node:crypto';
import type { PlannedSync } from '@floe/core';
import type { MappedColumn } from '../egress/mapping.js';

const PARTS = ['mode', 'key', 'schema', 'mapping'] as const;

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);

/**
 * The signature of what fixes a destination's fingerprints: the mode, the primary key, the source columns sent
 * with their types (the table's schema) and their destination names (field_mapping), each hashed on its own
 * (`v2.<mode>.<key>.<schema>.<mapping>`) so that {@link signatureChange} can say which changed. A state built
 * under another signature is diffed by a full scan.
 *
 * @example
 * ```ts
 * syncSignature(planned.sync, prepared.columns, prepared.target); // 'v2.1f0c…/9a3e…'
 * ```
 */
export function syncSignature(sync: PlannedSync, columns: readonly MappedColumn[], target: string): string {
  const parts = [
    'v2',
    hash(sync.mode),
    hash([...sync.primaryKey]),
    hash(columns.map((c) => [c.source, c.type])),
    hash(columns.map((c) => [c.source, c.target])),
  ].join('.');
  return `${parts}/${targetSignature(target)}`;
}

/**
 * The part of a signature that names the target (the table or endpoint, without credentials): a state built for
 * another target says nothing about this one (it is dropped, not diffed).
 */
export function targetSignature(target: string): string {
  return hash(['floe-sync-target/1', target]);
}

/** The target part of a {@link syncSignature} (empty for a signature without one). */
export function targetOf(signature: string): string {
  return signature.split('/')[1] ?? '';
}

/**
 * Why a state built under signature `before` does not fit `after`, naming what changed (the sync mode, the
 * primary key, the table's schema, field_mapping); `undefined` when they are the same.
 *
 * @example
 * ```ts
 * signatureChange(meta.signature, syncSignature(planned.sync, columns, target)); // 'field_mapping changed'
 * ```
 */
export function signatureChange(before: string, after: string): string | undefined {
  if (before === after) return undefined;
  const old = (before.split('/')[0] ?? '').split('.');
  const now = (after.split('/')[0] ?? '').split('.');
  if (old.length !== PARTS.length + 1 || old[0] !== now[0])
    return 'the primary key, field_mapping, column types or sync mode changed';
  const changed = PARTS.filter((_, i) => old[i + 1] !== now[i + 1]).map((part) => {
    if (part === 'mode') return 'the sync mode changed';
    if (part === 'key') return 'primary_key changed';
    if (part === 'schema') return "the table's schema changed (a column sent was added, dropped or retyped)";
    return 'field_mapping changed (a column is sent under another name)';
  });
  // An added or dropped column changes the names sent too: only the schema is named then.
  const named = changed.length > 1 ? changed.filter((reason) => !reason.startsWith('field_mapping')) : changed;
  return named.join(', ');
}
