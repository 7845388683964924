import type {
  DestinationFunction,
  DestinationHooks,
  DestinationOptions,
  LoaderFileFormat,
  NamingConvention,
} from './types.js';
import type { RowsOptions } from '../encoding/encoding-options.js';
import type { DeliveryLedger } from '@floe/core';

/** A configured destination: the function plus its resolved options (dlt's destination reference). */
export interface Destination<F extends LoaderFileFormat = LoaderFileFormat> {
  readonly name: string;
  readonly sinkType: string;
  readonly identity: string;
  readonly tableName: string;
  readonly batchSize: number;
  readonly namingConvention: NamingConvention;
  readonly maxParallelLoadJobs: number;
  readonly loaderFileFormat: F;
  readonly primaryKey: readonly string[];
  readonly hooks: DestinationHooks;
  readonly fn: DestinationFunction<F>;
  /** How `rows`-format batches represent 64-bit integers; default `{ int64: 'bigint' }`. */
  readonly rowsOptions?: Readonly<RowsOptions>;
  /** The ledger the destination keeps in its own transactions (see `DestinationOptions.ledger`). */
  readonly ledger?: DeliveryLedger;
}

/** dlt's default rows per call. */
export const DEFAULT_DESTINATION_BATCH_SIZE = 10;

/**
 * Declares a destination from a function, like dlt's `@dlt.destination`: the function receives each
 * batch and the table schema, and is awaited batch after batch. This is how the built-in sinks are
 * made, and the way to write your own.
 *
 * @example
 * ```ts
 * const audit = destination(async (rows, table) => {
 *   for (const row of rows) console.log(table.name, row);
 * }, { name: 'audit', batchSize: 100, loaderFileFormat: 'rows' });
 * const receipt = await loadToDestination(audit, arrowTable);
 * ```
 */
export function destination<F extends LoaderFileFormat = 'arrow'>(
  fn: DestinationFunction<F>,
  options: DestinationOptions & { loaderFileFormat?: F } = {},
): Destination<F> {
  if (typeof fn !== 'function') throw new TypeError('destination(fn): fn must be a function (batch, table, context)');
  const name = options.name ?? 'destination';
  const batchSize = options.batchSize ?? DEFAULT_DESTINATION_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 0) {
    throw new RangeError(
      `destination "${name}": batchSize must be a whole number ≥ 0 (0 = whole table), got ${batchSize}`,
    );
  }
  const maxParallelLoadJobs = options.maxParallelLoadJobs ?? 1;
  if (!Number.isInteger(maxParallelLoadJobs) || maxParallelLoadJobs < 1) {
    throw new RangeError(
      `destination "${name}": maxParallelLoadJobs must be a whole number ≥ 1, got ${maxParallelLoadJobs}`,
    );
  }
  const namingConvention = options.namingConvention ?? 'direct';
  if (namingConvention !== 'direct' && namingConvention !== 'snake_case') {
    throw new RangeError(`destination "${name}": namingConvention must be "direct" or "snake_case"`);
  }
  const loaderFileFormat = (options.loaderFileFormat ?? 'arrow') as F;
  if (loaderFileFormat !== 'arrow' && loaderFileFormat !== 'rows') {
    throw new RangeError(`destination "${name}": loaderFileFormat must be "arrow" or "rows"`);
  }
  return Object.freeze({
    name,
    sinkType: options.sinkType ?? 'destination',
    identity: options.identity ?? `destination:${name}`,
    tableName: options.tableName ?? name,
    batchSize,
    namingConvention,
    maxParallelLoadJobs,
    loaderFileFormat,
    primaryKey: Object.freeze([...(options.primaryKey ?? [])]),
    hooks: Object.freeze({ ...(options.hooks ?? {}) }),
    fn,
    rowsOptions: Object.freeze({ ...(options.rowsOptions ?? {}) }),
    ...(options.ledger !== undefined && { ledger: options.ledger }),
  });
}
