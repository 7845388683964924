import pc from 'picocolors';
import type { Redactor } from '../secrets/redactor.js';
import { asciiFallback, colorEnabled, unicodeEnabled, type OutputSettings } from './output-settings.js';

/** picocolors' formatters. */
export type Colors = ReturnType<typeof pc.createColors>;

/** A writable text stream (`process.stdout`); `isTTY` and `columns` as on a TTY stream. */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Everything the CLI prints goes through here, and through the {@link Redactor} first: no secret
 * value can reach stdout or stderr, whatever an error message contains. Glyphs fall back to ASCII when
 * the locale is not UTF-8; colours (for stdout: {@link colors}, stderr: {@link errColors}) only on a
 * terminal and never under `NO_COLOR`.
 */
export class Terminal {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  readonly redactor: Redactor;
  readonly settings: OutputSettings;
  /** Colours for text on stdout (identity functions when colour is off). */
  readonly colors: Colors;
  /** Colours for text on stderr. */
  readonly errColors: Colors;
  readonly #unicode: boolean;

  constructor(
    stdout: TextStream,
    stderr: TextStream,
    redactor: Redactor,
    settings: OutputSettings = {},
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.redactor = redactor;
    this.settings = settings;
    this.colors = pc.createColors(colorEnabled(stdout, env));
    this.errColors = pc.createColors(colorEnabled(stderr, env));
    this.#unicode = unicodeEnabled(env);
  }

  #text(text: string): string {
    const redacted = this.redactor.redact(text);
    return this.#unicode ? redacted : asciiFallback(redacted);
  }

  /** A debug line on stderr, under `-v/--verbose` only. */
  debug(text: string): void {
    if (this.settings.verbose === true) this.err(`floe: debug: ${text}`);
  }

  /** Columns available on stdout: the terminal's width, or unlimited when stdout is not a terminal. */
  get width(): number {
    return this.stdout.isTTY === true ? this.stdout.columns || 120 : Infinity;
  }

  /** One line on stdout. */
  out(text = ''): void {
    this.stdout.write(`${this.#text(text)}\n`);
  }

  /** One line on stderr. */
  err(text: string): void {
    this.stderr.write(`${this.#text(text)}\n`);
  }

  /** Raw text on stderr (progress lines with `\r`). */
  errRaw(text: string): void {
    this.stderr.write(this.#text(text));
  }

  /** One JSON object on its own line on stdout (JSON lines). */
  json(record: Record<string, unknown>): void {
    this.stdout.write(`${JSON.stringify(this.redactor.redactValue(toJsonSafe(record)))}\n`);
  }
}

/** A JSON-safe copy: bigint → number when safe, else string; `Date` → ISO; bytes → base64; `toJSON()` honoured. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value !== null && typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return toJsonSafe(withToJson.toJSON());
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v)]));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
