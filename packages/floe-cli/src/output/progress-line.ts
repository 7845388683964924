import type { Terminal } from './terminal.js';

/** One progress reading. */
export interface ProgressReading {
  readonly label: string;
  /** Rows handled so far (delivered + rejected). */
  readonly rows: number;
  /** Rows expected, when known. */
  readonly total: number | undefined;
  readonly elapsedMs: number;
  /** Characters available; the bar shrinks to fit. */
  readonly width: number;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats `1m05s`, `12s`; with `tenths`, durations under 10 s as `1.3s`. */
export function formatDuration(seconds: number, tenths = false): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (tenths && seconds < 10) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * `crm [██████░░░░░░]  30,000/51,793 rows  12,345 rows/s  ETA 2s`
 *
 * @example
 * ```ts
 * formatProgress({ label: 'crm', rows: 50, total: 100, elapsedMs: 1000, width: 80 });
 * ```
 */
export function formatProgress(reading: ProgressReading): string {
  const seconds = reading.elapsedMs / 1000;
  const rate = seconds > 0 ? reading.rows / seconds : 0;
  const counts =
    reading.total === undefined
      ? `${integer.format(reading.rows)} rows`
      : `${integer.format(reading.rows)}/${integer.format(reading.total)} rows`;
  const eta =
    reading.total !== undefined && rate > 0 ? `  ETA ${formatDuration((reading.total - reading.rows) / rate)}` : '';
  const tail = `  ${counts}  ${integer.format(rate)} rows/s${eta}`;
  if (reading.total === undefined || reading.total <= 0) return `${reading.label}${tail}`;
  const room = reading.width - reading.label.length - tail.length - 3;
  const barWidth = Math.max(0, Math.min(30, room));
  if (barWidth < 5) return `${reading.label}${tail}`;
  const filled = Math.round((Math.min(reading.rows, reading.total) / reading.total) * barWidth);
  return `${reading.label} [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]${tail}`;
}

/**
 * A single self-rewriting progress line on stderr (TTY only), redrawn at most every `intervalMs`.
 */
export class ProgressLine {
  readonly #terminal: Terminal;
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #now: () => number;
  readonly #started: number;
  readonly #intervalMs: number;
  #lastDraw = -Infinity;
  #rows = 0;
  #note: string | undefined;

  constructor(
    terminal: Terminal,
    label: string,
    total: number | undefined,
    options: { now?: () => number; intervalMs?: number } = {},
  ) {
    this.#terminal = terminal;
    this.#label = label;
    this.#total = total;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
    this.#intervalMs = options.intervalMs ?? 100;
  }

  /** Records progress and redraws when the interval has passed. */
  update(rows: number): void {
    this.#rows = rows;
    const now = this.#now();
    if (now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    this.#draw(now);
  }

  /** Shows `text` after the counts (`waiting 12s for an answer`) until the next note; redraws now. */
  note(text: string | undefined): void {
    if (text === this.#note) return;
    this.#note = text;
    if (text !== undefined) this.#draw(this.#now());
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.#draw(this.#now());
    this.#terminal.errRaw('\n');
  }

  #draw(now: number): void {
    const width = this.#terminal.stderr.columns || 80;
    const line = formatProgress({
      label: this.#label,
      rows: this.#rows,
      total: this.#total,
      elapsedMs: now - this.#started,
      width: width - 1,
    });
    const note = this.#note === undefined ? '' : `  ${this.#note}`;
    this.#terminal.errRaw(`\r${`${line}${note}`.slice(0, width - 1)}\x1b[K`);
  }
}
