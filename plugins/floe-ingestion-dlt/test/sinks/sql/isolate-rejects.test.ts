import { describe, it, expect } from '@jest/globals';
import { AttemptFailure } from '../../../src/sinks/sql/internal/attempt-failure.js';
import { writeIsolatingRejects } from '../../../src/sinks/sql/internal/isolate-rejects.js';
import { isRowDataError, rowErrorMessage } from '../../../src/sinks/sql/internal/row-errors.js';

/** A fake table: a transaction of rows commits only when none of them is bad. */
function fakeTable(bad: ReadonlySet<number>, hint: 'none' | 'exact' | 'wrong') {
  const written: number[] = [];
  let transactions = 0;
  const attempt = async (rows: Int32Array): Promise<void> => {
    transactions += 1;
    const position = rows.findIndex((row) => bad.has(row));
    if (position === -1) {
      written.push(...rows);
      return;
    }
    const error = Object.assign(new Error(`row ${rows[position]} is bad`), { code: '23502' });
    if (hint === 'none') throw error;
    throw new AttemptFailure(error, hint === 'exact' ? [position, position + 1] : [0, rows.length]);
  };
  return { attempt, written, transactions: () => transactions };
}

const rows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const isRowError = (error: unknown): boolean => isRowDataError(error, 'postgres');

describe('writeIsolatingRejects', () => {
  it.each(['none', 'exact', 'wrong'] as const)(
    'writes every good row once, in order, and isolates the bad ones (hint: %s)',
    async (hint: 'none' | 'exact' | 'wrong') => {
      const bad = new Set([0, 7, 8, 63, 99]);
      const table = fakeTable(bad, hint);
      const rejects = await writeIsolatingRejects(rows(100), { attempt: table.attempt, isRowError });
      expect(rejects.map((reject) => reject.index)).toEqual([0, 7, 8, 63, 99]);
      expect(table.written).toEqual([...rows(100)].filter((row) => !bad.has(row)));
    },
  );

  it('needs few transactions when the database names the failing row', async () => {
    const table = fakeTable(new Set([500]), 'exact');
    await writeIsolatingRejects(rows(1000), { attempt: table.attempt, isRowError });
    expect(table.transactions()).toBe(4);
  });

  it('isolates the first failing part in one call when an isolating write is given, else falls back to splitting', async () => {
    const bad = new Set([3, 5, 6, 9]);
    const table = fakeTable(bad, 'exact');
    const isolated: number[][] = [];
    const isolate = async (part: Int32Array) => {
      isolated.push([...part]);
      table.written.push(...[...part].filter((row) => !bad.has(row)));
      return [...part].filter((row) => bad.has(row)).map((index) => ({ index, error: new Error(`row ${index}`) }));
    };
    const rejects = await writeIsolatingRejects(rows(10), { attempt: table.attempt, isRowError, isolate });
    expect(isolated).toEqual([[...rows(10)]]);
    expect(table.transactions()).toBe(1);
    expect(rejects.map((reject) => reject.index)).toEqual([3, 5, 6, 9]);
    expect(table.written).toEqual([0, 1, 2, 4, 7, 8]);

    const fallback = fakeTable(bad, 'exact');
    let calls = 0;
    const unconvertible = Object.assign(new Error('value too long'), { code: '22001' });
    const refusing = async (): Promise<never> => {
      calls += 1;
      throw unconvertible;
    };
    const split = await writeIsolatingRejects(rows(10), { attempt: fallback.attempt, isRowError, isolate: refusing });
    expect(calls).toBe(1);
    expect(split.map((reject) => reject.index)).toEqual([3, 5, 6, 9]);
    expect(fallback.written).toEqual([0, 1, 2, 4, 7, 8]);
    const denied = Object.assign(new Error('permission denied'), { code: '42501' });
    await expect(
      writeIsolatingRejects(rows(10), { attempt: fallback.attempt, isRowError, isolate: () => Promise.reject(denied) }),
    ).rejects.toBe(denied);
  });

  it('re-throws failures that are not caused by row values, and honours the abort signal', async () => {
    const refused = Object.assign(new Error('permission denied'), { code: '42501' });
    await expect(writeIsolatingRejects(rows(3), { attempt: () => Promise.reject(refused), isRowError })).rejects.toBe(
      refused,
    );
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      writeIsolatingRejects(rows(3), { attempt: async () => undefined, isRowError, signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(await writeIsolatingRejects(rows(0), { attempt: () => Promise.reject(refused), isRowError })).toEqual([]);
  });
});

describe('row errors', () => {
  it('classifies data errors per dialect', () => {
    expect(isRowDataError({ code: '22003' }, 'postgres')).toBe(true);
    expect(isRowDataError({ code: '23505' }, 'postgres')).toBe(true);
    expect(isRowDataError({ code: '57P01' }, 'postgres')).toBe(false);
    expect(isRowDataError({ errno: 1406 }, 'mysql')).toBe(true);
    expect(isRowDataError({ errno: 1146 }, 'mysql')).toBe(false);
    expect(isRowDataError({ code: 'SQLITE_CONSTRAINT_NOTNULL' }, 'sqlite')).toBe(true);
    expect(isRowDataError({ code: 'SQLITE_BUSY' }, 'sqlite')).toBe(false);
    expect(isRowDataError('text', 'sqlite')).toBe(false);
  });

  it('keeps the reason and key detail but drops row contents and secrets', () => {
    const failing = {
      message: 'null value in column "x"\nmore',
      code: '23502',
      detail: 'Failing row contains (1, secret-value).',
    };
    expect(rowErrorMessage(new AttemptFailure(failing), ['secret-value'])).toBe('null value in column "x" [23502]');
    const duplicate = {
      message: 'duplicate key value violates unique constraint "t_pkey"',
      code: '23505',
      detail: 'Key (id)=(5) already exists.',
    };
    expect(rowErrorMessage(duplicate, [])).toBe(
      'duplicate key value violates unique constraint "t_pkey" (Key (id)=(5) already exists.) [23505]',
    );
    expect(
      rowErrorMessage(
        {
          message: "Data too long for column 'label' at row 2",
          errno: 1406,
          sqlState: '22001',
          code: 'ER_DATA_TOO_LONG',
        },
        [],
      ),
    ).toBe("Data too long for column 'label' at row 2 [errno 1406]");
  });
});
