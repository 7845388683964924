import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSyncStateLedger, type DeliveryLedger, type Sink, type SyncStateStore } from '@floe/core';
import { isDeliveryError, openStateStore, parseStateStoreLocation } from '@floe/delivery';
import type { CliContext } from '../context.js';
import { stateStoreLocation } from '../delivery/state-store-location.js';
import { describeError } from '../egress/describe-error.js';
import type { EgressEngine } from '../egress/engine.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import type { Project } from '../project/load-project.js';
import { stateDir } from '../paths.js';
import type { Redactor } from '../secrets/redactor.js';
import { EmptySyncState } from './empty-sync-state.js';
import { destinationSyncKind, prepareSync } from './prepare-sync.js';
import type { SyncOutcome } from '../egress/deliver.js';

/**
 * What `egress plan` says about a destination's sync: what the next run would send — and, when the mirror guard
 * would refuse that run (more deletes than `sync.max_delete_fraction` without `--allow-mass-delete`), the
 * refusal the run would exit 3 with — or why it cannot tell.
 */
export type SyncPreview =
  | { readonly ok: true; readonly changes: SyncOutcome; readonly refusal?: string }
  | { readonly ok: false; readonly reason: string };

/** What {@link previewSync} needs. */
export interface PreviewSyncOptions {
  readonly engine: EgressEngine;
  readonly project: Project;
  readonly context: CliContext;
  readonly redactor: Redactor;
  readonly fullResync: boolean;
  /** Plan a run with `--allow-mass-delete` (the guard would not refuse it). */
  readonly allowMassDelete: boolean;
}

/**
 * The diff a run would make now, read-only (for `egress plan`): the sync state is read where the run keeps it
 * (the destination's own ledger, else the state store, which is not created when missing), nothing is folded or
 * written. `undefined` for a destination that sends every row.
 */
export async function previewSync(
  prepared: PreparedDestination,
  options: PreviewSyncOptions,
): Promise<SyncPreview | undefined> {
  const { engine, project, context } = options;
  const kind = destinationSyncKind(prepared, engine);
  if (kind === 'all' || prepared.secret === undefined) return undefined;
  let sink: Sink | undefined;
  let stateStore: DeliveryLedger | undefined;
  try {
    sink = await engine.createSink(prepared.sinkConfig);
    const own = engine.describeDelivery(sink, {
      sourceTable: prepared.planned.sourceTable,
      snapshotId: prepared.source.snapshotId ?? null,
      disposition: prepared.planned.disposition,
    })?.ledger;
    // Read-only: a plan creates nothing in the destination (no file, schema, table or scope).
    let store: SyncStateStore | undefined = isSyncStateLedger(own) ? (own.readOnlySync?.() ?? own.sync) : undefined;
    if (own === undefined) {
      const folder = stateDir(project.paths, context.cwd, undefined);
      const location = stateStoreLocation(undefined, context.env, folder, options.redactor);
      const parsed = parseStateStoreLocation(location, context.cwd);
      if (parsed.kind !== 'sqlite' || existsSync(resolve(context.cwd, parsed.file))) {
        stateStore = openStateStore(location, { baseDir: context.cwd, readOnly: true });
        store = isSyncStateLedger(stateStore) ? stateStore.sync : undefined;
      } else {
        // No state store yet: the first run creates it, empty. The plan is not to create it.
        store = new EmptySyncState(location);
      }
    }
    const diff = (allowMassDelete: boolean) =>
      prepareSync(prepared, {
        engine,
        store,
        scope: { destination: prepared.planned.name, product: project.plan.product.name },
        resumedRunId: undefined,
        fullResync: options.fullResync,
        allowMassDelete,
        readOnly: true,
        signal: context.signal,
      });
    // As the run would diff; when the guard refuses, diff again past it to count what the run would have sent.
    let refusal: string | undefined;
    let sync;
    try {
      sync = await diff(options.allowMassDelete);
    } catch (error) {
      if (!isDeliveryError(error) || error.code !== 'MASS_DELETE') throw error;
      refusal = options.redactor.redact(error.message);
      sync = await diff(true);
    }
    if (sync === undefined)
      return { ok: false, reason: 'no sync state is kept for this destination: every row is sent' };
    await sync.close();
    return {
      ok: true,
      changes: {
        mode: prepared.planned.sync.mode,
        ...sync.counts,
        refused: sync.rejected.length,
        ...(sync.bytesRead !== undefined && { bytesRead: sync.bytesRead }),
      },
      ...(refusal !== undefined && { refusal }),
    };
  } catch (error) {
    return { ok: false, reason: `cannot read the sync state: ${describeError(error)}` };
  } finally {
    await stateStore?.close().catch(() => undefined);
    await sink?.close().catch(() => undefined);
  }
}
