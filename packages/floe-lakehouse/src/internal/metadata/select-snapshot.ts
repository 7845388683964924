import { IcebergNotFoundError, LakehouseConfigError } from '../../errors.js';
import type { Snapshot, TableMetadata } from './table-metadata.js';

/** How to pick the snapshot to read; at most one of the three may be set. */
export interface SnapshotSelector {
  /** A snapshot id (a decimal string is accepted because JSON numbers cannot hold every id). */
  snapshotId?: bigint | string;
  /** The snapshot that was current at this time (milliseconds since the epoch). */
  asOfTimestampMs?: number;
  /** A branch or tag name (`main`, …). */
  ref?: string;
}

/** A snapshot id from a bigint or a decimal string. */
export function parseSnapshotId(id: bigint | string): bigint {
  if (typeof id === 'bigint') return id;
  if (/^-?\d+$/.test(id.trim())) return BigInt(id.trim());
  throw new LakehouseConfigError(`snapshotId must be a bigint or a decimal string, got ${JSON.stringify(id)}`, {
    keyPath: 'snapshotId',
  });
}

/**
 * Picks the snapshot to read: by id, by ref, as of a timestamp (from the snapshot log, falling back
 * to snapshot timestamps), or the current snapshot. Returns `null` for a table with no snapshot.
 */
export function selectSnapshot(meta: TableMetadata, selector: SnapshotSelector = {}): Snapshot | null {
  const set = [selector.snapshotId, selector.asOfTimestampMs, selector.ref].filter((v) => v !== undefined);
  if (set.length > 1) {
    throw new LakehouseConfigError('Pass at most one of snapshotId, asOfTimestampMs and ref');
  }
  const byId = (id: bigint, what: string): Snapshot => {
    const snapshot = meta.snapshots.find((s) => s.snapshotId === id);
    if (!snapshot) throw new IcebergNotFoundError(`snapshot ${id}`, `${what} ${id} is not in the table metadata`);
    return snapshot;
  };
  if (selector.snapshotId !== undefined) return byId(parseSnapshotId(selector.snapshotId), 'Snapshot');
  if (selector.ref !== undefined) {
    const ref = meta.refs[selector.ref];
    if (!ref)
      throw new IcebergNotFoundError(`ref ${selector.ref}`, `The table has no branch or tag named "${selector.ref}"`);
    return byId(ref.snapshotId, `Snapshot of ref "${selector.ref}"`);
  }
  if (selector.asOfTimestampMs !== undefined) {
    const asOf = selector.asOfTimestampMs;
    const log =
      meta.snapshotLog.length > 0
        ? meta.snapshotLog
        : [...meta.snapshots]
            .sort((a, b) => a.timestampMs - b.timestampMs)
            .map((s) => ({ timestampMs: s.timestampMs, snapshotId: s.snapshotId }));
    let chosen: bigint | undefined;
    for (const entry of log) if (entry.timestampMs <= asOf) chosen = entry.snapshotId;
    if (chosen === undefined) {
      throw new IcebergNotFoundError(
        `snapshot as of ${asOf}`,
        `The table has no snapshot at or before ${new Date(asOf).toISOString()} (${asOf} ms)`,
      );
    }
    return byId(chosen, 'Snapshot');
  }
  return meta.currentSnapshotId === null ? null : byId(meta.currentSnapshotId, 'Current snapshot');
}
