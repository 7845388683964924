import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File operations the store needs; injected for tests. */
export interface ReceiptFs {
  mkdir(path: string): void;
  writeFile(path: string, text: string): void;
  rename(from: string, to: string): void;
}

/** The real file system. */
export const nodeReceiptFs: ReceiptFs = {
  mkdir: (path) => mkdirSync(path, { recursive: true }),
  writeFile: (path, text) => writeFileSync(path, text, { mode: 0o600 }),
  rename: (from, to) => renameSync(from, to),
};

/**
 * Saves one JSON receipt per destination under `<stateDir>/runs/<runId>/<destination>.json`.
 * The folder is created on the first save, so a run that writes nothing leaves nothing behind.
 * Each file is written to a temporary name and renamed, so a reader never sees half a receipt.
 */
export class ReceiptStore {
  /** `<stateDir>/runs/<runId>`. */
  readonly runDir: string;
  readonly #fs: ReceiptFs;

  constructor(stateDir: string, runId: string, fs: ReceiptFs = nodeReceiptFs) {
    this.runDir = join(stateDir, 'runs', runId);
    this.#fs = fs;
  }

  /** Writes `record` as `<destination>.json` and returns the file's path. */
  save(destination: string, record: unknown): string {
    if (!/^[A-Za-z0-9_-]+$/.test(destination)) throw new TypeError(`not a destination name: "${destination}"`);
    this.#fs.mkdir(this.runDir);
    const file = join(this.runDir, `${destination}.json`);
    const temporary = `${file}.tmp`;
    this.#fs.writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
    this.#fs.rename(temporary, file);
    return file;
  }
}
