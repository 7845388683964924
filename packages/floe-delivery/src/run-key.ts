import { createHash } from 'node:crypto';

/** Everything that fixes the batches of a delivery run. No secrets. */
export interface RunKeyParts {
  readonly destination: string;
  /** The destination's identity (sink type + URL or table, credentials removed). */
  readonly identity: string;
  readonly sourceTable: string;
  readonly snapshotId: string | null;
  readonly batchSize: number;
  readonly fieldMapping?: Readonly<Record<string, string>>;
  readonly disposition: string;
  /**
   * What else fixes the rows a run sends, for a sync run (its kind, mode and `--full-resync`); absent for a run
   * that sends its snapshot's rows (the key is then what it always was).
   */
  readonly basis?: string;
}

/**
 * The run key: SHA-256 of the destination name, the sink identity, the source table, the snapshot, the
 * batch size, the field mapping (keys sorted) and the write disposition. Batch `i` of a run is source rows
 * `[i·batchSize, (i+1)·batchSize)` of the snapshot, so two runs with the same key send the same batches,
 * and each batch's idempotency key (derived from the run key) is the same on every attempt.
 *
 * @example
 * ```ts
 * deliveryRunKey({ destination: 'crm', identity: 'rest_api:POST https://api/x', sourceTable: 'gold.c',
 *   snapshotId: '42', batchSize: 500, disposition: 'append' }); // '3f1c…' (64 hex digits)
 * ```
 */
export function deliveryRunKey(parts: RunKeyParts): string {
  const mapping = Object.entries(parts.fieldMapping ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = JSON.stringify([
    'floe-run/1',
    parts.destination,
    parts.identity,
    parts.sourceTable,
    parts.snapshotId,
    parts.batchSize,
    mapping,
    parts.disposition,
    ...(parts.basis !== undefined ? [parts.basis] : []),
  ]);
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A batch's idempotency key within a run: SHA-256 of the run key, the batch index and (optionally) a digest
 * of the batch's content. The same on every attempt of the run, so a re-sent batch carries the key the
 * destination saw before.
 *
 * @example
 * ```ts
 * batchIdempotencyKey(runKey, 3); // '9b0e…' (64 hex digits)
 * ```
 */
export function batchIdempotencyKey(runKey: string, index: number, contentDigest = ''): string {
  return createHash('sha256').update(`floe-batch/1\0${runKey}\0${index}\0${contentDigest}`).digest('hex');
}
