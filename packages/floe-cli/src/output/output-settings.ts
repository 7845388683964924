/** The part of a stream the settings look at. */
interface Stream {
  readonly isTTY?: boolean;
}

/** How output looks, from the global options (`--format`, `-q`, `-v`) and the environment (`NO_COLOR`, `LANG`). */
export interface OutputSettings {
  /** `--format`: `human` even when stdout is not a terminal, or `json` (`--json`); default: by stdout. */
  format?: 'human' | 'json' | undefined;
  /** `-q/--quiet`: only problems and each command's result. */
  quiet?: boolean | undefined;
  /** `-v/--verbose`: debug lines on stderr. */
  verbose?: boolean | undefined;
}

/** The formats `--format` takes. */
export const OUTPUT_FORMATS = ['human', 'json'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * True when `floe` should print JSON: `--json` or `--format json`; otherwise, for commands that default to JSON
 * off a terminal (`byDefaultOffTty`), when stdout is not a terminal and `--format human` was not given.
 *
 * @example
 * ```ts
 * wantsJson(options.json, context.output, context.stdout, true);
 * ```
 */
export function wantsJson(
  json: boolean | undefined,
  settings: OutputSettings | undefined,
  stdout: Stream,
  byDefaultOffTty: boolean,
): boolean {
  if (json === true || settings?.format === 'json') return true;
  if (settings?.format === 'human') return false;
  return byDefaultOffTty && stdout.isTTY !== true;
}

/** Colour on a terminal, unless `NO_COLOR` is set (https://no-color.org); `FORCE_COLOR` (not `0`) forces it. */
export function colorEnabled(stream: Stream, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** True unless the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) is set to a non-UTF-8 one (`C`, `POSIX`, `en_US.ISO-8859-1`). */
export function unicodeEnabled(env: Env): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return locale === undefined || /utf-?8/i.test(locale);
}

const ASCII: Readonly<Record<string, string>> = {
  '✔': '+',
  '✘': 'x',
  '▲': '!',
  '■': '#',
  '█': '#',
  '░': '.',
  '→': '->',
  '·': '-',
  '…': '...',
  '—': '-',
  '≥': '>=',
};
const GLYPHS = new RegExp(`[${Object.keys(ASCII).join('')}]`, 'g');

/** `text` with the glyphs floe prints (✔ ✘ ▲ █ …) replaced by ASCII, for terminals that are not UTF-8. */
export function asciiFallback(text: string): string {
  return text.replace(GLYPHS, (glyph) => ASCII[glyph] ?? glyph);
}
