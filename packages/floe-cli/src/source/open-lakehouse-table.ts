import { getSourceConfig, openTable, type IcebergTable } from '@floe/lakehouse';
import { LakehouseConfigError } from '@floe/lakehouse';
import type { OpenSourceOptions, SourceTable } from '../egress/engine.js';
import { resolveSecretKey } from '../secrets/resolve-secret.js';
import { resolveProjectPath } from '../paths.js';
import type { SourceRef } from './source-ref.js';

/**
 * Opens a destination's source with `@floe/lakehouse`: a location directly, a catalog identifier
 * through the manifest's `plugins.catalog` (its OAuth2 client secret resolved like any other secret).
 * The table is pinned to the snapshot current when it is opened: the count and every batch read
 * that snapshot, whatever is committed meanwhile.
 */
export async function openLakehouseTable(ref: SourceRef, options: OpenSourceOptions): Promise<SourceTable> {
  const { signal } = options;
  let table: IcebergTable;
  if (ref.kind === 'location') {
    table = await openTable({ location: ref.location, signal });
  } else {
    const catalog = options.manifest?.plugins.catalog;
    if (catalog === undefined) {
      throw new LakehouseConfigError(
        `"${ref.identifier}" is a catalog identifier, but the manifest has no plugins.catalog to look it up in` +
          ' (write a table location instead: a folder or a metadata.json path, relative to floe.yaml, or a URI)',
      );
    }
    table = await openTable({
      catalog: getSourceConfig(withLocalWarehouse(catalog, options.manifestDir)),
      identifier: ref.identifier,
      signal,
      resolveSecret: (name, key) => {
        const value = resolveSecretKey(name, key, options.secrets, { refPath: 'manifest plugins.catalog' });
        options.redactor.add(value);
        return value;
      },
    });
  }
  return pin(table, ref.written, options.snapshotId);
}

/** The snapshot `id` of the table; throws when the metadata no longer holds it (expired). */
function chosenSnapshot(table: IcebergTable, id: string): NonNullable<IcebergTable['snapshot']> {
  const found = table.snapshots().find((snapshot) => snapshot.snapshotId.toString() === id);
  if (found === undefined)
    throw new LakehouseConfigError(`snapshot ${id} is no longer in the table's metadata (expired?)`);
  return found;
}

/** A local catalog's relative `config.warehouse`, made absolute against the manifest's folder. */
function withLocalWarehouse(
  catalog: Readonly<Record<string, unknown>>,
  manifestDir: string | undefined,
): Record<string, unknown> {
  const config = catalog.config;
  if (manifestDir === undefined || typeof config !== 'object' || config === null) return { ...catalog };
  const warehouse = (config as Record<string, unknown>).warehouse;
  if (typeof warehouse !== 'string' || 'uri' in config) return { ...catalog };
  return { ...catalog, config: { ...config, warehouse: resolveProjectPath(manifestDir, warehouse) } };
}

function pin(table: IcebergTable, label: string, wanted: string | undefined): SourceTable {
  const snapshot = wanted === undefined ? table.snapshot : chosenSnapshot(table, wanted);
  const snapshotId = snapshot?.snapshotId;
  const at = snapshotId === undefined ? {} : { snapshotId };
  return {
    label,
    schema: table.schema,
    snapshotId: snapshotId?.toString(),
    snapshotTimestamp: snapshot ? new Date(snapshot.timestampMs).toISOString() : undefined,
    count: () => (snapshot ? table.count(at) : Promise.resolve(0)),
    batches: ({ columns, signal }) => {
      if (!snapshot) return (async function* () {})();
      return table.batches({ ...at, ...(columns && { columns: [...columns] }), ...(signal && { signal }) });
    },
    ...(table.tableUuid !== undefined && { tableUuid: table.tableUuid }),
    fileBatches: ({ files, snapshotId: other, signal }) => {
      if (!snapshot) return (async function* () {})();
      return table.fileBatches({
        ...(other !== undefined ? { snapshotId: other } : at),
        ...(files !== undefined && { files: [...files] }),
        ...(signal && { signal }),
      });
    },
    changesSince: async (from, { signal }) => {
      // The fast path diffs up to the table's current snapshot: a run pinned to an earlier one reads in full.
      if (snapshot === null || table.snapshot?.snapshotId !== snapshot.snapshotId)
        return {
          incremental: false,
          reason: `the run is pinned to snapshot ${String(snapshot?.snapshotId)}, not the current one`,
        };
      return table.changesSince(from, signal ? { signal } : {});
    },
    bytesRead: () => table.bytesRead,
  };
}
