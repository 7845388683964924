import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EgressRecordError, RejectedRows } from '@floe/core';
import type { RecordBatch } from 'apache-arrow';
import type { Redactor } from '../secrets/redactor.js';

/** The values of a one-row batch as the sink would send them: a JSON object text. */
export type EncodeRow = (row: RecordBatch) => string | undefined;

/** File operations the file needs; injected for tests. */
export interface RejectedRowsFs {
  mkdir(path: string): void;
  append(path: string, text: string): void;
}

const nodeFs: RejectedRowsFs = {
  mkdir: (path) => mkdirSync(path, { recursive: true }),
  append: (path, text) => appendFileSync(path, text, { mode: 0o600 }),
};

/**
 * `<destination>.rejected.jsonl`: one JSON object per row the destination rejected —
 * `{"row","batch","key","reason","category","httpStatus","values"}` — where `values` are the row's
 * values as the sink would have sent them (mapped and encoded, read from the source batch), or
 * `null` when the connector did not hand the batch over. Lines are appended batch by batch as the
 * rows are rejected, so the file is complete up to the last acknowledged batch even if the run
 * dies; the file (and its folder) is created only when there is a first row. Everything written
 * goes through the redactor.
 */
export class RejectedRowsFile {
  readonly path: string;
  #rows = 0;
  readonly #written = new Set<number>();
  readonly #encode: EncodeRow;
  readonly #redactor: Redactor;
  readonly #fs: RejectedRowsFs;

  constructor(path: string, encode: EncodeRow, redactor: Redactor, fs: RejectedRowsFs = nodeFs) {
    this.path = path;
    this.#encode = encode;
    this.#redactor = redactor;
    this.#fs = fs;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Appends the rejected rows of one batch, with their values read from it. */
  add(rejected: RejectedRows): void {
    const lines = rejected.errors.flatMap((error) => {
      if (error.row === undefined || this.#written.has(error.row)) return [];
      const index = error.row - rejected.firstRow;
      const values =
        index >= 0 && index < rejected.batch.numRows ? this.#encode(rejected.batch.slice(index, index + 1)) : undefined;
      return [this.#line(error, values)];
    });
    this.#append(lines);
  }

  /**
   * Appends the rejected rows of a receipt not written yet (a connector that does not call
   * `onRejected`), without values.
   */
  addMissing(errors: readonly EgressRecordError[]): void {
    this.#append(
      errors
        .filter(
          (error) =>
            (error.row !== undefined && !this.#written.has(error.row)) ||
            (error.row === undefined && error.key !== undefined),
        )
        .map((error) => this.#line(error, undefined)),
    );
  }

  /** Appends a source row refused before anything was sent (a sync diff's null or duplicate key), with its values. */
  addRefused(refused: {
    readonly key: string;
    readonly reason: string;
    readonly row: Readonly<Record<string, unknown>>;
    /** Its position in the rows the diff read. */
    readonly position?: number;
  }): void {
    const values = JSON.stringify(refused.row, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    const error = { key: refused.key, message: refused.reason, category: 'PERMANENT' as const };
    // Its position is among the rows the diff read, not the rows sent: it does not mark a sent row as written.
    this.#append([
      this.#line(refused.position === undefined ? error : { ...error, row: refused.position }, values, false),
    ]);
  }

  #line(error: EgressRecordError, values: string | undefined, sent = true): string {
    if (sent && error.row !== undefined) this.#written.add(error.row);
    const head = JSON.stringify({
      row: error.row ?? null,
      batch: error.batch ?? null,
      key: error.key ?? null,
      reason: error.message,
      category: error.category,
      httpStatus: error.httpStatus ?? null,
    });
    return this.#redactor.redactJson(`${head.slice(0, -1)},"values":${values ?? 'null'}}`);
  }

  #append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.#rows === 0) this.#fs.mkdir(dirname(this.path));
    this.#fs.append(this.path, `${lines.join('\n')}\n`);
    this.#rows += lines.length;
  }
}
