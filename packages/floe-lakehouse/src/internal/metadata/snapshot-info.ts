import type { SnapshotInfo } from '../../types.js';
import type { Snapshot } from './table-metadata.js';

/** The public view of a snapshot (a copy: callers may not change the metadata). */
export function snapshotInfo(s: Snapshot): SnapshotInfo {
  const info: SnapshotInfo = {
    snapshotId: s.snapshotId,
    sequenceNumber: s.sequenceNumber,
    timestampMs: s.timestampMs,
    summary: { ...s.summary },
  };
  if (s.parentSnapshotId !== undefined) info.parentSnapshotId = s.parentSnapshotId;
  if (s.summary.operation !== undefined) info.operation = s.summary.operation;
  if (s.schemaId !== undefined) info.schemaId = s.schemaId;
  return info;
}
