import { z } from 'zod';
import { strictObject } from '../internal/strict-object.js';

/**
 * How a destination is kept in step with its source (floe.yaml `sync.mode`):
 * - `append`: the rows added since the last synced snapshot (every row when `changes_only: false`);
 * - `replace`: the destination holds exactly the source after each run;
 * - `insert`: rows whose key was never synced;
 * - `update`: changed rows whose key was synced (a record the destination no longer has is skipped);
 * - `upsert`: new and changed rows;
 * - `mirror`: upsert, plus deleting the records that left the source — only records this destination synced.
 */
export const SYNC_MODES = Object.freeze(['append', 'replace', 'insert', 'update', 'upsert', 'mirror'] as const);

/** One of {@link SYNC_MODES}. */
export type SyncMode = (typeof SYNC_MODES)[number];

/** Modes that need `primary_key` (the record's identity). */
export const KEYED_SYNC_MODES: readonly SyncMode[] = Object.freeze(['insert', 'update', 'upsert', 'mirror']);

/** What a mirror does with a record that left the source: delete it, or the sink's soft delete. */
export const ON_DELETE_ACTIONS = Object.freeze(['delete', 'archive'] as const);

/** One of {@link ON_DELETE_ACTIONS}. */
export type OnDeleteAction = (typeof ON_DELETE_ACTIONS)[number];

/** Default of `sync.max_delete_fraction`: a mirror run that would delete more than 20 % of synced records is refused. */
export const DEFAULT_MAX_DELETE_FRACTION = 0.2;

/** zod schema of a destination's `sync:` block in floe.yaml. */
export const SyncSettingsSchema = strictObject({
  mode: z.enum(SYNC_MODES).meta({ description: 'append | replace | insert | update | upsert | mirror' }),
  changes_only: z
    .boolean()
    .optional()
    .meta({ description: 'Send only what changed since the last run (default true for every mode but replace)' }),
  on_delete: z
    .enum(ON_DELETE_ACTIONS)
    .optional()
    .meta({ description: "mirror: delete (default) or archive (the sink's soft delete) records that left the source" }),
  max_delete_fraction: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .meta({
      description: `mirror: refuse a run that deletes more than this share of synced records (default ${DEFAULT_MAX_DELETE_FRACTION}; override: --allow-mass-delete)`,
    }),
}).meta({ description: 'How the destination is kept in step with its source table' });

/** A destination's `sync:` block as written. */
export type SyncSettings = z.output<typeof SyncSettingsSchema>;

/**
 * A destination's sync, as compiled: the mode (from `sync.mode`, or `config.write_disposition` as an alias:
 * `append`, `replace`, `merge` → `upsert`) with its defaults filled in.
 */
export interface PlannedSync {
  readonly mode: SyncMode;
  readonly changesOnly: boolean;
  readonly onDelete: OnDeleteAction;
  readonly maxDeleteFraction: number;
  /** The record's identity: source column names (before `field_mapping`); empty when not given. */
  readonly primaryKey: readonly string[];
  /** Where the mode came from. */
  readonly from: 'sync' | 'write_disposition' | 'default';
}
