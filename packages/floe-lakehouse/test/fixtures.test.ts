import { describe, expect, it } from '@jest/globals';
import { RecordBatch, Type } from 'apache-arrow';
import { openTable } from '../src/index.js';
import { fixture } from './support/fixtures.js';
import { collect, rowsOf, sortBy } from './support/rows.js';

async function readRows(relative: string, key: string): Promise<Record<string, unknown>[]> {
  const table = await openTable({ location: fixture(relative) });
  return sortBy(rowsOf(await collect(table.batches())), key);
}

const bunny = (
  name: string,
  weight: number,
  fur: number,
  life: bigint,
  country: string,
  ears: string,
  temper: string,
  rank: bigint,
) => ({
  'Breed Name': name,
  'Average Weight': weight,
  'Fur Length': fur,
  Lifespan: life,
  'Origin Country': country,
  'Ear Type': ears,
  Temperament: temper,
  'Popularity Rank': rank,
});

describe('fixture tables', () => {
  it('reads icebird/java/bunnies with position and equality deletes applied when 3 snapshots exist', async () => {
    const rows = await readRows('icebird/java/bunnies', 'Popularity Rank');
    expect(rows).toEqual([
      { ...bunny('New Zealand', 4, 2.7, 8n, 'New Zealand', 'Erect', 'Affectionate', 0n), __happy__: true },
      { ...bunny('Holland Lop', 1.8, 3, 7n, 'The Netherlands', 'Lop', 'Friendly', 1n), __happy__: null },
      { ...bunny('Netherland Dwarf', 0.9, 2.5, 10n, 'Netherlands', 'Erect', 'Shy', 2n), __happy__: null },
      { ...bunny('American Fuzzy Lop', 1.4, 5, 8n, 'USA', 'Lop', 'Sociable', 8n), __happy__: null },
      { ...bunny('Dutch', 2.1, 2.3, 8n, 'Netherlands', 'Erect', 'Energetic', 9n), __happy__: null },
      { ...bunny('Polish', 1.1, 2, 9n, 'England', 'Erect', 'Curious', 10n), __happy__: null },
      { ...bunny('Californian', 3.2, 2.5, 5n, 'USA', 'Erect', 'Affectionate', 11n), __happy__: null },
      { ...bunny('Mini Rex', 1.5, 1.7, 7n, 'France', 'Erect', 'Amiable', 13n), __happy__: null },
      { ...bunny('Satin Angora', 2.8, 9, 9n, 'Turkey', 'Lop', 'Friendly', 14n), __happy__: null },
      { ...bunny('Silver Fox', 3.8, 3.5, 7n, 'USA', 'Erect', 'Docile', 15n), __happy__: null },
      { ...bunny('Thrianta', 2.5, 2.6, 8n, 'Netherlands', 'Erect', 'Bold', 16n), __happy__: null },
      { ...bunny('Himalayan', 2, 2.4, 5n, 'USA', 'Erect', 'Calm', 17n), __happy__: null },
      { ...bunny('English Angora', 2.7, 11, 10n, 'England', 'Lop', 'Sweet', 18n), __happy__: null },
      { ...bunny('Belgian Hare', 2.8, 2.1, 7n, 'Belgium', 'Erect', 'Active', 19n), __happy__: null },
      { ...bunny('Harlequin', 3, 2.8, 6n, 'France', 'Erect', 'Playful', 20n), __happy__: null },
    ]);
  });

  it('reads icebird/spark/bunnies skipping the DELETED entry when an overwrite rewrote the data', async () => {
    const rows = await readRows('icebird/spark/bunnies', 'Popularity Rank');
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r['Popularity Rank'])).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 2)));
    expect(rows[0]).toEqual({
      ...bunny('Netherland Dwarf', 0.9, 2.5, 10n, 'Netherlands', 'Erect', 'Shy', 2n),
      breed_name_length: 16,
    });
    expect(rows.every((r) => r.breed_name_length === (r['Breed Name'] as string).length)).toBe(true);
  });

  it('reads icebird/spark/rename_column under the new column name when a column was renamed', async () => {
    expect(await readRows('icebird/spark/rename_column', 'id')).toEqual([
      { id: 1, name: 'Flopsy 🐇', event_date: '2022-01-01', price: '9.99', active: true },
      { id: 2, name: 'Mopsy–Naïve', event_date: '2022-01-01', price: '-5.00', active: false },
      { id: 3, name: 'Cottontail', event_date: null, price: '0.00', active: true },
      { id: 4, name: 'Thumper', event_date: '2022-01-02', price: '99999999.99', active: false },
    ]);
  });

  it('reads icebird/athena/example when there is no version-hint', async () => {
    expect(await readRows('icebird/athena/example', 'id')).toEqual([
      { id: 1, name: 'Alice' },
      { id: 2, name: 'Bob' },
    ]);
  });

  it('reads iceberg-python/target when data paths are object-store hashed and recorded as file:///Users', async () => {
    expect(await readRows('iceberg-python/target', 'order_date')).toEqual([
      { order_date: '2021-01-01', order_type: 'A' },
      { order_date: '2021-01-02', order_type: 'A' },
    ]);
  });

  it('reads duckdb lineitem with 51,793 rows and the expected types when the table has 2 snapshots', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/iceberg/lineitem_iceberg') });
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      l_orderkey: 'Int64',
      l_quantity: 'Decimal[15e+2]',
      l_returnflag: 'Utf8',
      l_shipdate: 'Date32<DAY>',
    });
    expect(table.schema.fields).toHaveLength(16);
    const batches = await collect(table.batches());
    const describeSchema = (schema: typeof table.schema): string[] =>
      schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b instanceof RecordBatch)).toBe(true);
    for (const batch of batches) expect(describeSchema(batch.schema)).toEqual(describeSchema(table.schema));
    const rows = rowsOf(batches);
    expect(rows).toHaveLength(51_793);
    expect(rows[0]).toMatchObject({
      l_orderkey: 1n,
      l_partkey: 1552n,
      l_suppkey: 93n,
      l_linenumber: 1n,
      l_quantity: '17.00',
      l_extendedprice: '24710.35',
      l_discount: '0.04',
      l_tax: '0.02',
      l_returnflag: 'N',
      l_linestatus: 'O',
      l_shipdate: '1996-03-13',
    });
    const sum = rows.reduce((n, r) => n + (r.l_orderkey as bigint), 0n);
    expect(sum).toBeGreaterThan(0n);
    expect(new Set(rows.map((r) => r.l_returnflag))).toEqual(new Set(['A', 'N', 'R']));
  });

  it('reads duckdb equality_deletes/mytable leaving 2 rows when 6 snapshots carry equality deletes', async () => {
    expect(await readRows('duckdb-iceberg/equality_deletes/warehouse/mydb/mytable', 'id')).toEqual([
      { id: 4, name: 'd', bir: '2025-01-04' },
      { id: 5, name: 'e', bir: '2025-01-05' },
    ]);
  });

  it('reads duckdb mytable_partitioned applying equality deletes only within their partition', async () => {
    expect(await readRows('duckdb-iceberg/equality_deletes/warehouse/mydb/mytable_partitioned', 'id')).toEqual([
      { id: 1, name: 'a', bir: '2025-01-01' },
      { id: 4, name: 'd', bir: '2025-01-04' },
      { id: 5, name: 'e', bir: '2025-01-05' },
    ]);
  });

  it('fills initial-default values when columns were added with defaults', async () => {
    const defaults = {
      col_boolean: true,
      col_integer: 342342,
      col_long: -9223372036854775808n,
      col_float: Math.fround(0.34234),
      col_double: 0.342343242342342,
      col_decimal: '12345.00',
      col_date: '2003-10-20',
      col_time: 12345n,
      col_timestamp: 12345n,
      col_timestamptz: 12345n,
      col_string: 'HELLO',
      col_uuid: 'f79c3e09-677c-4bbd-a479-3f349cb785e7',
      col_fixed: '010203ff03',
      col_binary: '0102',
    };
    expect(
      await readRows('duckdb-iceberg/add_columns_with_defaults/default.db/add_columns_with_defaults', 'col1'),
    ).toEqual([
      { col1: 'click', ...defaults },
      { col1: 'purchase', ...defaults },
      {
        col1: 'test',
        col_boolean: false,
        col_integer: 453243,
        col_long: 328725092345834n,
        col_float: Math.fround(23.34342),
        col_double: 23.343424523423433,
        col_decimal: '3423434.23',
        col_date: '0011-03-05',
        col_time: 43_605_000_000n,
        col_timestamp: -61_814_577_195_000_000n,
        col_timestamptz: 1_684_161_045_000_000n,
        col_string: 'World',
        col_uuid: '020d4fc7-acd6-45ac-b216-7873f4038e1f',
        col_fixed: '8000800080',
        col_binary: '800080',
      },
    ]);
  });

  it('maps struct, list and map columns through the name mapping when the file has no field ids', async () => {
    expect(await readRows('duckdb-iceberg/column_mapping/warehouse/default.db/my_table', 'id')).toEqual([
      {
        id: 1n,
        name: 'Alice',
        age: 25n,
        attributes: { height: '5.5', weight: '130' },
        scores: [85n, 90n],
        profile: { email: 'alice@example.com', verified: true },
      },
      {
        id: 2n,
        name: 'Bob',
        age: 30n,
        attributes: { height: '6.0', weight: '180' },
        scores: [78n, 82n, 88n],
        profile: { email: 'bob@example.com', verified: false },
      },
      {
        id: 3n,
        name: 'Charlie',
        age: 35n,
        attributes: { height: '5.8', weight: '160' },
        scores: [92n],
        profile: { email: 'charlie@example.com', verified: true },
      },
    ]);
  });

  it('returns uuids as canonical strings when the column is uuid', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/uuid') });
    expect(table.schema.fields[0]?.type.typeId).toBe(Type.Utf8);
    expect(table.schema.fields[0]?.metadata.get('iceberg.type')).toBe('uuid');
    const values = (await readRows('duckdb-iceberg/uuid', 'uuid')).map((r) => r.uuid);
    expect(values).toEqual([
      '1571effb-facd-42a3-90e9-0af522e9b6c2',
      '160a53fe-3d8b-443d-bd36-ad66287f585a',
      '37afa09a-f496-48a8-89a9-61ea7ccd85d5',
      '3ef257b8-e9c6-4c53-9c22-973729e1043f',
      '7fae299c-cf05-4777-9b42-57a52e1415ed',
      '8dc314d8-3fd4-4b3a-8bf5-c008f363c2e4',
      'a217c09f-06fa-4e91-8315-ff44753c4a54',
      'abd6f939-9b99-4e1d-9cda-0dc8ce60a161',
      'e6218567-354b-4a9c-8cd7-3d4b6a2470f8',
      'f9f28465-51cf-45f1-8985-e01d9a82253c',
    ]);
  });

  it('reads map_stats with a UTC timestamp and a map column when partitioned by day', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/map_stats/default.db/map_stats') });
    const ts = table.schema.fields[0]?.type as unknown as { timezone: string; unit: number };
    expect(ts.timezone).toBe('UTC');
    expect(await readRows('duckdb-iceberg/map_stats/default.db/map_stats', 'timestamp')).toEqual([
      { timestamp: 1_767_225_600_000_000n, input: 'hello', output: 'world', metadata: { key: 'value1' } },
      { timestamp: 1_767_312_000_000_000n, input: 'hello', output: 'world', metadata: { key: 'value1' } },
    ]);
  });

  it('reads is_null_is_not_null keeping nulls when 3 snapshots appended rows', async () => {
    expect(await readRows('duckdb-iceberg/is_null_is_not_null', 'id')).toEqual([
      { id: 1n, value: null },
      { id: 2n, value: null },
      { id: 3n, value: null },
      { id: 4n, value: 'foo' },
      { id: 5n, value: 'bar' },
      { id: 6n, value: 'baz' },
      { id: 7n, value: null },
      { id: 8n, value: 'blah' },
    ]);
  });
});
