import { OP_DELETE, OP_INSERT, OP_UPDATE, OP_UPSERT } from '../dialects/sql-dialect.js';

/** The rows of one op: batch row indexes and their positions within the request's rows, both in row order. */
export interface OpGroup {
  readonly rows: Int32Array;
  readonly positions: Int32Array;
}

/** A request's rows grouped by op (see `SyncOps.ops`). */
export interface OpGroups {
  readonly insert: OpGroup;
  readonly update: OpGroup;
  readonly upsert: OpGroup;
  readonly delete: OpGroup;
}

/**
 * Groups `rows` (batch row indexes) by their op in `ops`, keeping row order within each group.
 *
 * @example
 * ```ts
 * groupByOp(Int32Array.of(4, 5), Uint8Array.of(0, 0, 0, 0, OP_UPSERT, OP_DELETE)).delete.positions; // Int32Array [1]
 * ```
 */
export function groupByOp(rows: Int32Array, ops: Uint8Array): OpGroups {
  const counts = [0, 0, 0, 0];
  for (let r = 0; r < rows.length; r++) (counts[ops[rows[r] as number] as number] as number)++;
  const groups = counts.map((count) => ({ rows: new Int32Array(count), positions: new Int32Array(count) }));
  const next = [0, 0, 0, 0];
  for (let r = 0; r < rows.length; r++) {
    const index = rows[r] as number;
    const op = ops[index] as number;
    const group = groups[op] as { rows: Int32Array; positions: Int32Array };
    const at = next[op] as number;
    group.rows[at] = index;
    group.positions[at] = r;
    next[op] = at + 1;
  }
  return {
    insert: groups[OP_INSERT] as OpGroup,
    update: groups[OP_UPDATE] as OpGroup,
    upsert: groups[OP_UPSERT] as OpGroup,
    delete: groups[OP_DELETE] as OpGroup,
  };
}

/**
 * The suspect range (positions within the request's rows) of group positions `[from, to)`: the same rows when
 * they are contiguous in the request, else `undefined` (the caller then splits in halves).
 */
export function requestRange(positions: Int32Array, from: number, to: number): [number, number] | undefined {
  if (to <= from) return undefined;
  const first = positions[from] as number;
  const last = (positions[to - 1] as number) + 1;
  return last - first === to - from ? [first, last] : undefined;
}
