import { InvalidArgumentError } from 'commander';

/** `--max-rejected`: a number of rows, or a percentage of the destination's source rows. */
export type MaxRejected =
  | { readonly kind: 'rows'; readonly rows: number; readonly text: string }
  | { readonly kind: 'percent'; readonly percent: number; readonly text: string };

/**
 * Parses `--max-rejected N` (whole number of rows ≥ 0) or `N%` (0–100, decimals allowed) for commander.
 *
 * @example
 * ```ts
 * parseMaxRejected('25'); // { kind: 'rows', rows: 25, text: '25' }
 * parseMaxRejected('0.5%'); // { kind: 'percent', percent: 0.5, text: '0.5%' }
 * ```
 */
export function parseMaxRejected(value: string): MaxRejected {
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent !== null) {
    const number = Number(percent[1]);
    if (number <= 100) return { kind: 'percent', percent: number, text };
  } else if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) {
    return { kind: 'rows', rows: Number(text), text };
  }
  throw new InvalidArgumentError(
    `expected a number of rows (e.g. 100) or a percentage of the source rows (e.g. 1%), got "${value}"`,
  );
}

/**
 * How many rejected rows a destination may have: the number given, or the percentage of its source
 * rows (the snapshot's row count, known before the first row is sent), rounded down.
 */
export function allowedRejects(max: MaxRejected, sourceRows: number): number {
  return max.kind === 'rows' ? max.rows : Math.floor((sourceRows * max.percent) / 100);
}
