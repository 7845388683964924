// The benchmark table: N rows × 8 columns (bigint id, two short texts, double, boolean, timestamptz
// with microseconds, char(2), ~60-character text), generated column-wise straight into Arrow buffers,
// deterministically, in record batches so 10M rows never sit in memory at once.
import {
  Bool,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';

export const BENCH_SCHEMA = new Schema([
  new Field('id', new Int64(), false),
  new Field('email', new Utf8(), false),
  new Field('name', new Utf8(), false),
  new Field('score', new Float64(), true),
  new Field('active', new Bool(), false),
  new Field('updated_at', new TimestampMicrosecond('UTC'), false),
  new Field('country', new Utf8(), false),
  new Field('note', new Utf8(), true),
]);

const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'NL', 'ES', 'IT'];
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const BASE_US = 1_700_000_000_000_000n;

/** ASCII strings → an Arrow Utf8 column without per-row allocation of Arrow objects. */
function utf8Column(strings) {
  let bytes = 0;
  for (const s of strings) bytes += s.length;
  const offsets = new Int32Array(strings.length + 1);
  const values = new Uint8Array(bytes);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    for (let j = 0; j < s.length; j++) values[at + j] = s.charCodeAt(j);
    at += s.length;
    offsets[i + 1] = at;
  }
  return makeData({ type: new Utf8(), length: strings.length, valueOffsets: offsets, data: values });
}

function bitmap(length, isSet) {
  const bytes = new Uint8Array(Math.ceil(length / 8));
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    if (isSet(i)) bytes[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return { bytes, nulls };
}

/** One batch of rows `[start, start + length)`. */
export function makeBatch(start, length) {
  const ids = new BigInt64Array(length);
  const scores = new Float64Array(length);
  const times = new BigInt64Array(length);
  const emails = new Array(length);
  const names = new Array(length);
  const countries = new Array(length);
  const notes = new Array(length);
  for (let i = 0; i < length; i++) {
    const id = start + i + 1;
    ids[i] = BigInt(id);
    scores[i] = (id * 7919) % 100_000 / 100;
    times[i] = BASE_US + BigInt(id) * 1_000_003n;
    emails[i] = `user${id}@example.com`;
    names[i] = `${WORDS[id % 10]} ${WORDS[(id >> 3) % 10]}`;
    countries[i] = COUNTRIES[id % COUNTRIES.length];
    notes[i] = `note ${id}: ${WORDS[id % 7]} ${WORDS[id % 9]} ${WORDS[id % 5]} lorem ipsum dolor sit amet`.padEnd(60, '.');
  }
  const active = bitmap(length, (i) => (start + i) % 3 !== 0);
  const scoreValid = bitmap(length, (i) => (start + i) % 97 !== 0);
  const noteValid = bitmap(length, (i) => (start + i) % 89 !== 0);
  const noteData = utf8Column(notes);
  const children = [
    makeData({ type: new Int64(), length, data: ids }),
    utf8Column(emails),
    utf8Column(names),
    makeData({ type: new Float64(), length, data: scores, nullBitmap: scoreValid.bytes, nullCount: scoreValid.nulls }),
    makeData({ type: new Bool(), length, data: active.bytes }),
    makeData({ type: new TimestampMicrosecond('UTC'), length, data: times }),
    utf8Column(countries),
    makeData({
      type: new Utf8(),
      length,
      valueOffsets: noteData.valueOffsets,
      data: noteData.values,
      nullBitmap: noteValid.bytes,
      nullCount: noteValid.nulls,
    }),
  ];
  const data = makeData({ type: new Struct(BENCH_SCHEMA.fields), length, nullCount: 0, children });
  return new RecordBatch(BENCH_SCHEMA, data);
}

/** `rows` rows as record batches of `batchRows`. */
export function* benchBatches(rows, batchRows = 65_536) {
  for (let start = 0; start < rows; start += batchRows) yield makeBatch(start, Math.min(batchRows, rows - start));
}

/** The same rows as CSV text for `psql \copy` (NULL as empty unquoted field). */
export function* benchCsv(rows, batchRows = 65_536) {
  for (const batch of benchBatches(rows, batchRows)) {
    const cols = BENCH_SCHEMA.fields.map((f) => batch.getChild(f.name));
    const [id, email, name, score, active, updated, country, note] = cols;
    const times = updated.data[0].values;
    const lines = new Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      const us = times[i];
      const iso = new Date(Number(us / 1000n)).toISOString().slice(0, 19);
      const micros = String(us % 1_000_000n).padStart(6, '0');
      const s = score.get(i);
      const n = note.get(i);
      lines[i] = `${id.get(i)},${email.get(i)},${name.get(i)},${s === null ? '' : s},${active.get(i)},${iso}.${micros}Z,${country.get(i)},${n === null ? '' : `"${n}"`}`;
    }
    yield lines.join('\n') + '\n';
  }
}
