import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRun } from '@floe/core';
import { effectiveStatus } from '@floe/delivery';
import { parse } from 'yaml';

/** One listed run: the ledger's record, its status as seen now, and its last attempt's receipt (when saved here). */
export interface ListedRun extends Omit<LedgerRun, 'status'> {
  readonly status: LedgerRun['status'];
  /** The status recorded in the ledger (`running` for a killed attempt). */
  readonly recordedStatus: LedgerRun['status'];
  /** The last attempt's receipt file, when it is in this state folder. */
  readonly receipt: string | null;
  /** Why the last attempt did not deliver everything (from its receipt), or `null`. */
  readonly error: string | null;
  /** The last attempt's rejected-rows file, when it wrote one. */
  readonly rejectedFile: string | null;
}

interface ReceiptFile {
  readonly error?: { readonly message?: string };
  readonly stopped?: { readonly reason?: string };
  readonly rejected?: { readonly file?: string } | null;
  readonly receipt?: {
    readonly errors?: readonly { message: string; category?: string; row?: unknown; key?: unknown; batch?: number }[];
  } | null;
}

/** The receipt saved by the run's last attempt, when it is in `folder` and readable. */
export function readReceipt(file: string | null): ReceiptFile | undefined {
  if (file === null) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReceiptFile;
  } catch {
    return undefined;
  }
}

/** The one-line reason a receipt gives for not delivering everything. */
function receiptError(receipt: ReceiptFile | undefined): string | null {
  if (receipt === undefined) return null;
  if (receipt.error?.message !== undefined) return receipt.error.message;
  if (receipt.stopped?.reason !== undefined) return receipt.stopped.reason;
  const errors = receipt.receipt?.errors ?? [];
  const load = errors.find((error) => error.row === undefined && error.key === undefined);
  if (load !== undefined) return load.category === undefined ? load.message : `${load.category}: ${load.message}`;
  return errors.length > 0 ? `${errors.length} row${errors.length === 1 ? '' : 's'} rejected` : null;
}

/** A ledger run as `floe egress runs` lists it. */
export function listedRun(run: LedgerRun, folder: string): ListedRun {
  const file = join(folder, 'runs', run.lastAttemptId, `${run.destination}.json`);
  const receipt = existsSync(file) ? file : null;
  const saved = readReceipt(receipt);
  const rejected = saved?.rejected?.file;
  return {
    ...run,
    status: effectiveStatus(run),
    recordedStatus: run.status,
    receipt,
    error: receiptError(saved),
    rejectedFile: rejected === undefined ? null : join(folder, 'runs', run.lastAttemptId, rejected),
  };
}

/** The destination names floe.yaml declares, when it is there and readable (else `undefined`: nothing to check against). */
export function declaredDestinations(specFile: string): string[] | undefined {
  try {
    const spec = parse(readFileSync(specFile, 'utf8')) as { destinations?: { name?: unknown }[] } | null;
    if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.destinations)) return undefined;
    return spec.destinations.map((d) => d?.name).filter((name): name is string => typeof name === 'string');
  } catch {
    return undefined;
  }
}

/**
 * The data product floe.yaml names (`metadata.name`), when it is there and readable (else `undefined`: the
 * runs of every product are listed). Specs in one folder share a state store; each lists its own runs.
 */
export function declaredProduct(specFile: string): string | undefined {
  try {
    const spec = parse(readFileSync(specFile, 'utf8')) as { metadata?: { name?: unknown } } | null;
    const name = spec !== null && typeof spec === 'object' ? spec.metadata?.name : undefined;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
