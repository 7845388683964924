import { describe, expect, it } from '@jest/globals';
import { Field, Int32, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from 'apache-arrow';
import type { RejectedRows } from '@floe/core';
import { RejectedRowsFile } from '../../src/egress/rejected-rows-file.js';
import { rowJson } from '../../src/egress/reject-tracking.js';
import { Redactor } from '../../src/secrets/redactor.js';

function people(ids: number[], emails: string[]): RecordBatch {
  const id = vectorFromArray(ids, new Int32());
  const email = vectorFromArray(emails, new Utf8());
  const fields = [new Field('id', new Int32(), true), new Field('email', new Utf8(), true)];
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: ids.length, nullCount: 0, children: [id.data[0]!, email.data[0]!] }),
  );
}

function memoryFs() {
  const files = new Map<string, string>();
  const dirs: string[] = [];
  return {
    files,
    dirs,
    fs: {
      mkdir: (path: string) => void dirs.push(path),
      append: (path: string, text: string) => void files.set(path, (files.get(path) ?? '') + text),
    },
  };
}

const encode = (row: RecordBatch) => JSON.stringify(row.get(0)?.toJSON());

describe('RejectedRowsFile', () => {
  it('appends one JSON object per rejected row with its values read from the batch, creating the folder first', () => {
    const memory = memoryFs();
    const redactor = new Redactor();
    redactor.add('s3cr3t-value');
    const file = new RejectedRowsFile('/runs/r1/crm.rejected.jsonl', encode, redactor, memory.fs);
    expect(memory.dirs).toEqual([]);
    const batch = people([10, 11, 12], ['a@x.io', 'oops s3cr3t-value', 'c@x.io']);
    const rejected: RejectedRows = {
      batchIndex: 2,
      firstRow: 20,
      batch,
      errors: [
        { message: 'bad email', category: 'PERMANENT', row: 21, batch: 2, key: 'k11', httpStatus: 422 },
        { message: 'too long', category: 'CONFIGURATION', row: 22, batch: 2 },
      ],
    };
    file.add(rejected);
    expect(memory.dirs).toEqual(['/runs/r1']);
    const lines = (memory.files.get('/runs/r1/crm.rejected.jsonl') ?? '').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        row: 21,
        batch: 2,
        key: 'k11',
        reason: 'bad email',
        category: 'PERMANENT',
        httpStatus: 422,
        values: { id: 11, email: 'oops ***' },
      },
      {
        row: 22,
        batch: 2,
        key: null,
        reason: 'too long',
        category: 'CONFIGURATION',
        httpStatus: null,
        values: { id: 12, email: 'c@x.io' },
      },
    ]);
    expect(file.rows).toBe(2);
  });

  it('adds receipt errors the connector did not hand over, without values, and never a row twice', () => {
    const memory = memoryFs();
    const file = new RejectedRowsFile('/r/x.rejected.jsonl', encode, new Redactor(), memory.fs);
    file.add({
      batchIndex: 0,
      firstRow: 0,
      batch: people([1], ['a']),
      errors: [{ message: 'no', category: 'PERMANENT', row: 0, batch: 0 }],
    });
    file.addMissing([
      { message: 'no', category: 'PERMANENT', row: 0, batch: 0 },
      { message: 'dup key', category: 'PERMANENT', key: 'k9' },
      { message: 'batch failed', category: 'TRANSIENT', batch: 1 },
      { message: 'later', category: 'PERMANENT', row: 5, batch: 1 },
    ]);
    const lines = (memory.files.get('/r/x.rejected.jsonl') ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.row, line.key, line.values])).toEqual([
      [0, null, { id: 1, email: 'a' }],
      [null, 'k9', null],
      [5, null, null],
    ]);
    expect(file.rows).toBe(3);
  });

  it('writes nothing, and creates no folder, when nothing is rejected', () => {
    const memory = memoryFs();
    const file = new RejectedRowsFile('/r/x.rejected.jsonl', encode, new Redactor(), memory.fs);
    file.addMissing([{ message: 'batch failed', category: 'TRANSIENT', batch: 0 }]);
    expect(memory.dirs).toEqual([]);
    expect(memory.files.size).toBe(0);
  });
});

describe('rowJson', () => {
  it('prefers the exact JSON text of a JSON sink and stringifies plain rows (64-bit integers as digits)', () => {
    expect(rowJson({ rows: [{ id: 1 }], json: ['{"id":9007199254740993}'] })).toBe('{"id":9007199254740993}');
    expect(rowJson({ rows: [{ id: 9007199254740993n, name: 'a' }] })).toBe('{"id":"9007199254740993","name":"a"}');
    expect(rowJson({ rows: [] })).toBeUndefined();
  });
});
