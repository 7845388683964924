import { expect } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import {
  expectNoDelivery,
  onlyReceipt,
  spec,
  sqlDestination,
  tableText,
  type BadInputCase,
  type ReceiptJson,
} from './corpus.js';

/** Rows in each of the {@link FILES} data files of {@link writeThreeFiles}'s table. */
const ROWS_PER_FILE = 100;
const FILES = 3;

/**
 * Writes a real Iceberg table at `location`: {@link FILES} Parquet data files of {@link ROWS_PER_FILE} rows
 * (`id` 1…300, `name` `n<id>`), read in that order. Returns the data files' paths, in order.
 */
async function writeThreeFiles(location: string): Promise<string[]> {
  const writer = await IcebergTableWriter.create({
    location,
    fields: [
      { id: 1, name: 'id', required: false, type: 'long' },
      { id: 2, name: 'name', required: false, type: 'string' },
    ],
  });
  const dataFiles = Array.from({ length: FILES }, (_, file) => {
    const ids = Array.from({ length: ROWS_PER_FILE }, (_, i) => file * ROWS_PER_FILE + i + 1);
    const table = makeTable({
      id: vectorFromArray(
        ids.map((id) => BigInt(id)),
        new Int64(),
      ).data[0] as never,
      name: vectorFromArray(
        ids.map((id) => `n${id}`),
        new Utf8(),
      ).data[0] as never,
    });
    return { batches: table.batches, rowGroupSize: 50 };
  });
  const committed = await writer.commit({ dataFiles });
  return committed.dataFiles.map((path) => path.replace(/^file:\/\//, ''));
}

/** The receipt event of a `--json` run's stdout. */
function receiptEvent(events: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  return events.find((event) => event.event === 'receipt');
}

/** Where the data files of each case's table are, by case folder (written by `setup`, read by `stderr`). */
const dataFiles = new Map<string, string[]>();

/**
 * The source table cannot be read while it is being delivered (issue 14): a data file of the snapshot is missing
 * or corrupt. The destination fails like any failed delivery — a full receipt (never `receipt: null`) whose
 * error names the table and the file, with what was delivered before the failure counted and checksummed.
 */
export const READER_CASES: readonly BadInputCase[] = [
  {
    name: 'the second data file of the source is missing: the first file’s rows land and the receipt counts them',
    setup: async (w) => {
      const files = await writeThreeFiles(join(w.dir, 'tbl'));
      dataFiles.set(w.dir, files);
      rmSync(files[1] as string);
    },
    // 2 batches of 50 rows hold the first file exactly: both are committed before the second file is opened
    spec: (w) => spec([sqlDestination(w, { source_table: './tbl', batch_size: 50 })]),
    args: () => ['--json'],
    exit: 1,
    stderr: (w) => [
      `warehouse: failed (PERMANENT): cannot read source table "./tbl": `,
      basename(dataFiles.get(w.dir)?.[1] ?? '?'),
    ],
    effect: async (run, world) => {
      const missing = dataFiles.get(world.dir)?.[1] as string;
      const record = onlyReceipt(world);
      expect(record).toMatchObject({ status: 'failed', exitCode: 1, rejected: null });
      expect(record.receipt).toMatchObject({ success: false, status: 'failed', rowsDelivered: 100, rowsRejected: 0 });
      const receipt = record.receipt as unknown as { checksum: string; bytesTransmitted: number };
      expect(receipt.checksum).toMatch(/^[0-9a-f]{64}$/); // of the two batches sent
      expect(receipt.bytesTransmitted).toBeGreaterThan(0);
      expect(record.receipt.errors).toEqual([
        expect.objectContaining({ category: 'PERMANENT', message: expect.stringContaining(missing) as unknown }),
      ]);
      expect(record.delivery).toMatchObject({ rowsDelivered: 100, batchesCommitted: 2, status: 'failed' });
      // the --json receipt event is the receipt file's
      const event = receiptEvent(run.events);
      expect(event).toMatchObject({ status: 'failed', exitCode: 1 });
      expect(event?.receipt).toEqual(record.receipt);
      // the destination holds exactly the first file's rows
      const held = (await tableText(world)).map((row) => Number(row.id)).sort((a, b) => a - b);
      expect(held).toEqual(Array.from({ length: ROWS_PER_FILE }, (_, i) => i + 1));
    },
  },
  {
    name: 'the first data file of the source is corrupt: nothing is sent, and the receipt says so and why',
    setup: async (w) => {
      const files = await writeThreeFiles(join(w.dir, 'tbl'));
      dataFiles.set(w.dir, files);
      writeFileSync(files[0] as string, 'not parquet\n');
    },
    spec: (w) => spec([sqlDestination(w, { source_table: './tbl', batch_size: 50 })]),
    args: () => ['--json'],
    exit: 1,
    stderr: (w) => [
      `warehouse: failed (PERMANENT): cannot read source table "./tbl": `,
      basename(dataFiles.get(w.dir)?.[0] ?? '?'),
    ],
    effect: async (run, world) => {
      const corrupt = dataFiles.get(world.dir)?.[0] as string;
      const record = await expectNoDelivery(world, 1);
      expect((record.receipt as ReceiptJson).errors).toEqual([
        { category: 'PERMANENT', message: expect.stringContaining(corrupt) as unknown },
      ]);
      expect(record).not.toHaveProperty('error'); // the receipt's error, not a second one beside it
      expect(record.delivery).toMatchObject({ rowsDelivered: 0, batchesCommitted: 0, status: 'failed' });
      expect(receiptEvent(run.events)?.receipt).toEqual(record.receipt);
    },
  },
];
