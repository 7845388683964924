/**
 * What each sync mode must leave in a destination, computed from full reads of the source versions — never from
 * the diff code under test: a model of the destination and of the records a destination synced.
 */

/** A source row as comparable text values, keyed by column. */
export type TextRow = Readonly<Record<string, string | null>>;

/** The changes one run must send, counted independently. */
export interface ExpectedChanges {
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
}

/** The sync modes modelled. */
export type ModelMode = 'append' | 'insert' | 'update' | 'upsert' | 'mirror';

const same = (a: TextRow, b: TextRow): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(row: TextRow): TextRow {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A destination as a sync mode keeps it: `step(version)` applies one run of a source version and returns the
 * changes that run must send; `rows()` is what the destination must hold.
 */
export class SyncModel {
  readonly #mode: ModelMode;
  readonly #key: (row: TextRow) => string;
  /** Keyed modes: the records synced (key → row as last sent). */
  readonly #synced = new Map<string, TextRow>();
  /** The destination's rows. */
  #rows: TextRow[] = [];
  /** append: the previous version's rows. */
  #previous: TextRow[] = [];

  constructor(mode: ModelMode, key: readonly string[]) {
    this.#mode = mode;
    this.#key = (row) => JSON.stringify(key.map((k) => row[k] ?? null));
  }

  /** One run of the source at `version` (its rows). */
  step(version: readonly TextRow[]): ExpectedChanges {
    if (this.#mode === 'append') return this.#append(version);
    let inserts = 0;
    let updates = 0;
    let deletes = 0;
    const seen = new Set<string>();
    for (const row of version) {
      const key = this.#key(row);
      seen.add(key);
      const before = this.#synced.get(key);
      if (before === undefined) {
        if (this.#mode === 'update') continue;
        inserts += 1;
        this.#synced.set(key, row);
      } else if (!same(before, row)) {
        if (this.#mode === 'insert') continue;
        updates += 1;
        this.#synced.set(key, row);
      }
    }
    if (this.#mode === 'mirror') {
      for (const key of [...this.#synced.keys()]) {
        if (seen.has(key)) continue;
        deletes += 1;
        this.#synced.delete(key);
      }
    }
    this.#rows = [...this.#synced.values()];
    return { inserts, updates, deletes };
  }

  /** Seeds the synced records as an upsert of `version` would (to model `update`, which only updates synced keys). */
  seed(version: readonly TextRow[]): void {
    for (const row of version) this.#synced.set(this.#key(row), row);
    this.#rows = [...this.#synced.values()];
  }

  /** What the destination must hold. */
  rows(): TextRow[] {
    return [...this.#rows];
  }

  #append(version: readonly TextRow[]): ExpectedChanges {
    // The rows of this version not in the previous one (a multiset difference), appended.
    const left = new Map<string, number>();
    for (const row of this.#previous) {
      const text = JSON.stringify(sortKeys(row));
      left.set(text, (left.get(text) ?? 0) + 1);
    }
    let inserts = 0;
    for (const row of version) {
      const text = JSON.stringify(sortKeys(row));
      const count = left.get(text) ?? 0;
      if (count > 0) {
        left.set(text, count - 1);
        continue;
      }
      inserts += 1;
      this.#rows.push(row);
    }
    this.#previous = [...version];
    return { inserts, updates: 0, deletes: 0 };
  }
}
