import type { DestinationConfig } from '../destination-config.js';
import { WRITE_DISPOSITIONS, type WriteDisposition } from '../egress-plan.js';
import type { SinkTypeDescriptor } from '../sink-type-descriptor.js';
import {
  DEFAULT_MAX_DELETE_FRACTION,
  KEYED_SYNC_MODES,
  type PlannedSync,
  type SyncMode,
} from '../sync/sync-settings.js';
import type { RawIssue } from './raw-issue.js';

/** A destination-level rule (the shape of `EgressRule`, kept here so the two files do not import each other). */
type SyncRule = (
  destination: DestinationConfig,
  index: number,
  context: { readonly sinks: ReadonlyMap<string, SinkTypeDescriptor> },
) => RawIssue[];

function dispositionOf(config: Readonly<Record<string, unknown>> | undefined): WriteDisposition {
  const value = config?.write_disposition;
  return (WRITE_DISPOSITIONS as readonly unknown[]).includes(value) ? (value as WriteDisposition) : 'append';
}

const at = (index: number, ...rest: (string | number)[]) => ['destinations', index, ...rest];

/** The sync mode `config.write_disposition` stands for (`merge` → `upsert`). */
export function modeOfDisposition(disposition: WriteDisposition): SyncMode {
  return disposition === 'merge' ? 'upsert' : disposition;
}

/** The disposition a sync mode is written with by a sink that has no sync modes of its own. */
export function dispositionOfMode(mode: SyncMode): WriteDisposition | undefined {
  if (mode === 'append' || mode === 'replace') return mode;
  return mode === 'upsert' ? 'merge' : undefined;
}

/**
 * The primary key as source column names: `primary_key`, else the sink's own `config.primary_key` (destination
 * names, mapped back through `field_mapping`).
 */
function primaryKeyOf(destination: DestinationConfig): string[] {
  if (destination.primary_key !== undefined) return [...destination.primary_key];
  const own = destination.config?.primary_key;
  if (!Array.isArray(own) || !own.every((k): k is string => typeof k === 'string')) return [];
  const back = new Map(Object.entries(destination.field_mapping ?? {}).map(([source, target]) => [target, source]));
  return own.map((k) => back.get(k) ?? k);
}

/** The destination's sync as compiled (defaults filled in; valid once {@link SYNC_RULES} passed). */
export function plannedSync(destination: DestinationConfig): PlannedSync {
  const { sync } = destination;
  const mode = sync?.mode ?? modeOfDisposition(dispositionOf(destination.config));
  return {
    mode,
    changesOnly: sync?.changes_only ?? mode !== 'replace',
    onDelete: sync?.on_delete ?? 'delete',
    maxDeleteFraction: sync?.max_delete_fraction ?? DEFAULT_MAX_DELETE_FRACTION,
    primaryKey: primaryKeyOf(destination),
    from:
      sync !== undefined
        ? 'sync'
        : destination.config?.write_disposition !== undefined
          ? 'write_disposition'
          : 'default',
  };
}

/** The modes a sink supports: its `syncModes`, else those its dispositions stand for. */
export function supportedModes(descriptor: SinkTypeDescriptor | undefined): readonly SyncMode[] {
  const declared = descriptor?.capabilities?.syncModes;
  if (declared !== undefined) return declared;
  const dispositions = descriptor?.capabilities?.dispositions ?? ['append'];
  return dispositions.flatMap((d) =>
    d === 'append' || d === 'replace' || d === 'merge' ? [modeOfDisposition(d)] : [],
  );
}

/** `sync.mode` and `config.write_disposition` must not disagree. */
export const syncAgreesWithDisposition: SyncRule = (destination, index) => {
  const disposition = destination.config?.write_disposition;
  const mode = destination.sync?.mode;
  if (mode === undefined || disposition === undefined) return [];
  if (modeOfDisposition(dispositionOf(destination.config)) === mode) return [];
  return [
    {
      segments: at(index, 'sync', 'mode'),
      message: `"${mode}" disagrees with config.write_disposition "${String(disposition)}" (an alias of sync.mode: append, replace, merge → upsert): remove config.write_disposition`,
    },
  ];
};

/** The sink type must support the mode; a keyed mode needs `primary_key`; the mirror-only keys need mirror. */
export const supportedSyncMode: SyncRule = (destination, index, { sinks }) => {
  const descriptor = sinks.get(destination.sink_type);
  if (descriptor === undefined) return [];
  const sync = plannedSync(destination);
  const modes = supportedModes(descriptor);
  // A mode from config.write_disposition is checked against the dispositions (supportedDisposition).
  if (destination.sync !== undefined && !modes.includes(sync.mode))
    return [
      {
        segments: at(index, 'sync', 'mode'),
        message: `sink type "${destination.sink_type}" does not support sync mode "${sync.mode}" (it supports: ${modes.join(', ')})`,
      },
    ];
  const issues: RawIssue[] = [];
  if (KEYED_SYNC_MODES.includes(sync.mode) && sync.primaryKey.length === 0)
    issues.push({
      segments: at(index, 'primary_key'),
      message: `is required by sync mode "${sync.mode}": name the record's identity as source columns, e.g. primary_key: [customer_id]`,
    });
  for (const key of ['on_delete', 'max_delete_fraction'] as const)
    if (destination.sync?.[key] !== undefined && sync.mode !== 'mirror')
      issues.push({
        segments: at(index, 'sync', key),
        message: `applies to sync mode "mirror" only (mode is "${sync.mode}"): remove it or set sync.mode: mirror`,
      });
  if (destination.sync?.changes_only === true && sync.mode === 'replace')
    issues.push({
      segments: at(index, 'sync', 'changes_only'),
      message: 'cannot be true with sync mode "replace" (a replace sends every row): remove it',
    });
  return issues;
};

/** The sync rules, run after the disposition and schema rules. */
export const SYNC_RULES: readonly SyncRule[] = [syncAgreesWithDisposition, supportedSyncMode];
