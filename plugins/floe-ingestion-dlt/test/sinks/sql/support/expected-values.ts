import type { SqlTestDatabase } from './sql-sink.js';

/** The all-types fixture's columns, in order. */
export const ALL_TYPES_COLUMNS = [
  'id',
  'i64',
  'u64',
  'i32',
  'i16',
  'i8',
  'f64',
  'f32',
  'dec',
  'flag',
  'name',
  'day',
  'ts',
  'naive',
  'bin',
  'tags',
  'attrs',
] as const;

/** What each row of the all-types fixture must read back as (normalised), independent of the dialect. */
export const ALL_TYPES_EXPECTED: readonly (readonly unknown[])[] = [
  [
    '1',
    '9223372036854775807',
    '18446744073709551615',
    '2147483647',
    '32767',
    '127',
    1.5,
    1.5,
    '9999999999999999999999999999.9999999999',
    true,
    'plain',
    '1970-01-01',
    '2023-11-14 22:13:20.123456',
    '2023-11-14 22:13:20.000001',
    '000102ff',
    '["a","b"]',
    '{"n":1,"s":"x"}',
  ],
  [
    '2',
    '-9223372036854775808',
    '0',
    '-2147483648',
    '-32768',
    '-128',
    -0.1,
    -0.25,
    '-1234567890123456789.0123456789',
    false,
    'tab\there\nnew "line" \\ back',
    '2023-11-14',
    '1970-01-01 00:00:00',
    '1970-01-02 00:00:00',
    '',
    '[]',
    '{"n":9223372036854775807,"s":null}',
  ],
  [
    '3',
    '9007199254740993',
    '9007199254740993',
    '0',
    '0',
    '0',
    1e300,
    Math.fround(3.4028234663852886e38),
    '0.0000000001',
    true,
    'émoji 🎉 ünïcode',
    '1969-12-31',
    '1969-12-31 23:59:59.999999',
    '1969-12-31 00:00:00',
    '5c090a',
    '["x\\"y"]',
    '{"n":null,"s":"é"}',
  ],
  ['4', null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [
    '5',
    '0',
    '1',
    '7',
    '1',
    '1',
    5e-324,
    0,
    '0.0000000000',
    false,
    '',
    '9999-12-31',
    '9999-12-31 23:59:59.999999',
    '1970-01-01 00:00:00.000001',
    '27',
    '["z"]',
    '{"n":-1,"s":""}',
  ],
];

/** Column types each dialect must create for the all-types fixture. */
export const ALL_TYPES_DDL: Record<SqlTestDatabase['dialect'], Record<string, string>> = {
  postgres: {
    id: 'bigint',
    i64: 'bigint',
    u64: 'numeric(20,0)',
    i32: 'integer',
    i16: 'smallint',
    i8: 'smallint',
    f64: 'double precision',
    f32: 'real',
    dec: 'numeric(38,10)',
    flag: 'boolean',
    name: 'text',
    day: 'date',
    ts: 'timestamp with time zone',
    naive: 'timestamp without time zone',
    bin: 'bytea',
    tags: 'jsonb',
    attrs: 'jsonb',
  },
  mysql: {
    id: 'bigint(20)',
    i64: 'bigint(20)',
    u64: 'bigint(20) unsigned',
    i32: 'int(11)',
    i16: 'smallint(6)',
    i8: 'tinyint(4)',
    f64: 'double',
    f32: 'float',
    dec: 'decimal(38,10)',
    flag: 'tinyint(1)',
    name: 'longtext',
    day: 'date',
    ts: 'datetime(6)',
    naive: 'datetime(6)',
    bin: 'longblob',
    tags: 'longtext',
    attrs: 'longtext',
  },
  sqlite: {
    id: 'integer',
    i64: 'integer',
    u64: 'text',
    i32: 'integer',
    i16: 'integer',
    i8: 'integer',
    f64: 'real',
    f32: 'real',
    dec: 'text',
    flag: 'integer',
    name: 'text',
    day: 'text',
    ts: 'text',
    naive: 'text',
    bin: 'blob',
    tags: 'text',
    attrs: 'text',
  },
};

/** SQL reading the all-types table back as comparable text, per dialect. */
export function readBackSql(dialect: SqlTestDatabase['dialect'], table: string): string {
  if (dialect === 'postgres') {
    return `SELECT id::text, i64::text, u64::text, i32::text, i16::text, i8::text, f64::text, f32::float8::text AS f32, dec::text, flag,
      name, day::text, (ts AT TIME ZONE 'UTC')::text AS ts, naive::text, encode(bin, 'hex') AS bin, tags::text, attrs::text FROM ${table} ORDER BY id`;
  }
  if (dialect === 'mysql') {
    return `SELECT CAST(id AS CHAR) AS id, CAST(i64 AS CHAR) AS i64, CAST(u64 AS CHAR) AS u64, CAST(i32 AS CHAR) AS i32, CAST(i16 AS CHAR) AS i16,
      CAST(i8 AS CHAR) AS i8, f64, CAST(f32 AS DOUBLE) AS f32, CAST(\`dec\` AS CHAR) AS \`dec\`, flag, name, CAST(day AS CHAR) AS day, CAST(ts AS CHAR) AS ts,
      CAST(naive AS CHAR) AS naive, LOWER(HEX(bin)) AS bin, CAST(tags AS CHAR) AS tags, CAST(attrs AS CHAR) AS attrs FROM ${table} ORDER BY id`;
  }
  return `SELECT id, i64, u64, i32, i16, i8, f64, f32, dec, flag, name, day, ts, naive, CASE WHEN bin IS NULL THEN NULL ELSE hex(bin) END AS bin, tags, attrs FROM ${table} ORDER BY id`;
}

function normaliseTimestamp(value: string): string {
  return value
    .replace('T', ' ')
    .replace(/Z$/, '')
    .replace(/\+00$/, '')
    .replace(/\.0+$/, '')
    .replace(/(\.\d*?)0+$/, '$1');
}

/** Normalises one read-back row to the shape of {@link ALL_TYPES_EXPECTED}. */
export function normaliseRow(row: Record<string, unknown>): unknown[] {
  return ALL_TYPES_COLUMNS.map((column) => {
    const value = row[column];
    if (value === null || value === undefined) return null;
    switch (column) {
      case 'f64':
      case 'f32':
        return Number(value);
      case 'flag':
        return value === true || value === 't' || value === 1 || value === 1n || value === '1';
      case 'ts':
      case 'naive':
        return normaliseTimestamp(String(value));
      case 'bin':
        return String(value).toLowerCase();
      case 'tags':
      case 'attrs':
        return String(value).replace(/([:,]) /g, '$1');
      default:
        return typeof value === 'bigint' ? value.toString() : String(value);
    }
  });
}
