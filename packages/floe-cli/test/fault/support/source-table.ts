import { Float64, Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';

/** One source row, as the destination must end up holding it. */
export interface SourceRow {
  readonly id: number;
  /** Null on every 13th row. */
  readonly name: string | null;
  readonly amount: number;
}

/** The source rows of {@link writeSourceTable}. */
export function sourceRows(count: number): SourceRow[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    return {
      id,
      name: id % 13 === 0 ? null : `customer-${id}-${'x'.repeat(id % 17)}`,
      amount: Math.round(id * 7.31 * 100) / 100,
    };
  });
}

/**
 * Writes a real Iceberg table (4 Parquet data files, row groups of 5,000 rows) holding `count` rows:
 * `id` (long), `name` (string, some nulls), `amount` (double). Returns its rows.
 */
export async function writeSourceTable(location: string, count: number): Promise<SourceRow[]> {
  const rows = sourceRows(count);
  const writer = await IcebergTableWriter.create({
    location,
    fields: [
      { id: 1, name: 'id', required: false, type: 'long' },
      { id: 2, name: 'name', required: false, type: 'string' },
      { id: 3, name: 'amount', required: false, type: 'double' },
    ],
  });
  const files = 4;
  const per = Math.ceil(count / files);
  const dataFiles = [];
  for (let f = 0; f < files; f++) {
    const part = rows.slice(f * per, (f + 1) * per);
    const table = makeTable({
      id: vectorFromArray(
        part.map((row) => BigInt(row.id)),
        new Int64(),
      ).data[0] as never,
      name: vectorFromArray(
        part.map((row) => row.name),
        new Utf8(),
      ).data[0] as never,
      amount: vectorFromArray(
        part.map((row) => row.amount),
        new Float64(),
      ).data[0] as never,
    });
    dataFiles.push({ batches: table.batches, rowGroupSize: 5_000 });
  }
  await writer.commit({ dataFiles });
  return rows;
}
