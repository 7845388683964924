import type { Snapshot, TableMetadata } from '../internal/metadata/table-metadata.js';

/** The `from` snapshot when `to` can be diffed against it, else why not. */
export type Lineage = { ok: true; from: Snapshot } | { ok: false; reason: string };

/**
 * Checks that snapshot `fromId` is still in the metadata, is `to` or one of its ancestors (walking
 * `parent-snapshot-id`), and was written with the same schema as `to`.
 */
export function checkLineage(meta: TableMetadata, fromId: bigint, to: Snapshot, toLabel: string): Lineage {
  const byId = new Map(meta.snapshots.map((s) => [s.snapshotId, s]));
  const from = byId.get(fromId);
  if (!from) return { ok: false, reason: `snapshot ${fromId} is no longer in the table metadata (expired)` };
  const seen = new Set<bigint>();
  let cursor: Snapshot | undefined = to;
  let expired: bigint | undefined;
  while (cursor && cursor.snapshotId !== fromId && !seen.has(cursor.snapshotId)) {
    seen.add(cursor.snapshotId);
    const parent: bigint | undefined = cursor.parentSnapshotId;
    cursor = parent === undefined ? undefined : byId.get(parent);
    if (parent !== undefined && !cursor) expired = parent;
  }
  if (!cursor || cursor.snapshotId !== fromId) {
    const reason =
      expired === undefined
        ? `snapshot ${fromId} is not an ancestor of ${toLabel} (the table was rolled back or replaced)`
        : `cannot tell whether snapshot ${fromId} is an ancestor of ${toLabel}: its ancestor ${expired} expired`;
    return { ok: false, reason };
  }
  const schema = (s: Snapshot): string => (s.schemaId === undefined ? 'unknown' : String(s.schemaId));
  const unknownBoth = from.schemaId === undefined && to.schemaId === undefined;
  if (unknownBoth ? meta.schemas.length > 1 : from.schemaId !== to.schemaId) {
    return {
      ok: false,
      reason:
        `the schema changed between snapshot ${fromId} (schema ${schema(from)}) and ${to.snapshotId} (schema ${schema(to)})` +
        (unknownBoth ? ': the snapshots record no schema id and the table has several schemas' : ''),
    };
  }
  return { ok: true, from };
}
