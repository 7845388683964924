import type { JsonRowsBody } from '../../engine/encoding/json-rows-body.js';

/** How a batch's encoded rows fit under a body size limit. */
export interface BodySizeRanges {
  /** Runs of rows `[start, end)`, in order, each of whose body is at most the limit. */
  readonly ranges: readonly (readonly [number, number])[];
  /** Rows whose body alone is above the limit, with that size: they cannot be sent. */
  readonly tooLarge: readonly { readonly index: number; readonly bytes: number }[];
}

/**
 * Cuts an encoded batch into runs of rows whose framed body (see `jsonRowsRange`) is at most `maxBytes`, greedily
 * in row order; a row that alone is larger is left out (in `tooLarge`) and ends the run before it.
 */
export function bodySizeRanges(encoded: JsonRowsBody, maxBytes: number): BodySizeRanges {
  const { body, ends, openBytes } = encoded;
  const framing = openBytes + (body.length - (ends[ends.length - 1] ?? openBytes));
  const ranges: [number, number][] = [];
  const tooLarge: { index: number; bytes: number }[] = [];
  let start = 0;
  let bytes = framing;
  for (let i = 0; i < ends.length; i += 1) {
    const from = i === 0 ? openBytes : (ends[i - 1] as number) + 1;
    const row = (ends[i] as number) - from;
    if (framing + row > maxBytes) {
      if (i > start) ranges.push([start, i]);
      tooLarge.push({ index: i, bytes: framing + row });
      start = i + 1;
      bytes = framing;
      continue;
    }
    const comma = i > start ? 1 : 0;
    if (bytes + comma + row > maxBytes) {
      ranges.push([start, i]);
      start = i;
      bytes = framing + row;
    } else bytes += comma + row;
  }
  if (ends.length > start) ranges.push([start, ends.length]);
  return { ranges, tooLarge };
}
