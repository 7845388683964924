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

const ascii = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * An Arrow Utf8 column of ASCII text written byte by byte straight into its buffers: no JS string per row,
 * so the generator's own garbage does not weigh on the memory measured (rss.mjs) or on the loads' CPU.
 */
class AsciiColumn {
  constructor(length, bytesPerRow) {
    this.offsets = new Int32Array(length + 1);
    this.values = new Uint8Array(length * bytesPerRow);
    this.pos = 0;
    this.row = 0;
  }

  room(bytes) {
    if (this.pos + bytes <= this.values.length) return;
    const grown = new Uint8Array(Math.max(this.values.length * 2, this.pos + bytes));
    grown.set(this.values.subarray(0, this.pos));
    this.values = grown;
  }

  bytes(source) {
    this.room(source.length);
    this.values.set(source, this.pos);
    this.pos += source.length;
  }

  /** A non-negative safe integer in decimal. */
  int(value) {
    let digits = 1;
    for (let probe = value; probe >= 10; probe = Math.floor(probe / 10)) digits++;
    this.room(digits);
    for (let at = this.pos + digits - 1, n = value; at >= this.pos; at--, n = Math.floor(n / 10))
      this.values[at] = 48 + (n % 10);
    this.pos += digits;
  }

  /** Pads the current row with `fill` to `width` bytes (String#padEnd). */
  padTo(width, fill) {
    const short = width - (this.pos - this.offsets[this.row]);
    if (short <= 0) return;
    this.room(short);
    this.values.fill(fill, this.pos, this.pos + short);
    this.pos += short;
  }

  endRow() {
    this.offsets[++this.row] = this.pos;
  }

  data(nullBitmap, nullCount = 0) {
    return makeData({
      type: new Utf8(),
      length: this.row,
      valueOffsets: this.offsets,
      data: this.values.subarray(0, this.pos),
      ...(nullBitmap && { nullBitmap, nullCount }),
    });
  }
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

const WORD_BYTES = WORDS.map(ascii);
const SPACE = ascii(' ');
const USER = ascii('user');
const AT_EXAMPLE = ascii('@example.com');
const NOTE = ascii('note ');
const COLON = ascii(': ');
const LOREM = ascii(' lorem ipsum dolor sit amet');
const COUNTRY_BYTES = COUNTRIES.map(ascii);
const DOT = '.'.charCodeAt(0);

/** One batch of rows `[start, start + length)`, or of the rows `idAt(0…length-1)` (1-based ids) when given. */
export function makeBatch(start, length, idAt = (i) => start + i + 1) {
  const ids = new BigInt64Array(length);
  const scores = new Float64Array(length);
  const times = new BigInt64Array(length);
  // Capacities fit ids below 10^9, so the buffers never grow.
  const emails = new AsciiColumn(length, 25);
  const names = new AsciiColumn(length, 15);
  const countries = new AsciiColumn(length, 2);
  const notes = new AsciiColumn(length, 66);
  for (let i = 0; i < length; i++) {
    const id = idAt(i);
    ids[i] = BigInt(id);
    scores[i] = ((id * 7919) % 100_000) / 100;
    times[i] = BASE_US + BigInt(id) * 1_000_003n;
    // `user${id}@example.com`
    emails.bytes(USER);
    emails.int(id);
    emails.bytes(AT_EXAMPLE);
    emails.endRow();
    // `${WORDS[id % 10]} ${WORDS[(id >> 3) % 10]}`
    names.bytes(WORD_BYTES[id % 10]);
    names.bytes(SPACE);
    names.bytes(WORD_BYTES[(id >> 3) % 10]);
    names.endRow();
    countries.bytes(COUNTRY_BYTES[id % COUNTRIES.length]);
    countries.endRow();
    // `note ${id}: ${WORDS[id % 7]} ${WORDS[id % 9]} ${WORDS[id % 5]} lorem ipsum dolor sit amet`.padEnd(60, '.')
    notes.bytes(NOTE);
    notes.int(id);
    notes.bytes(COLON);
    notes.bytes(WORD_BYTES[id % 7]);
    notes.bytes(SPACE);
    notes.bytes(WORD_BYTES[id % 9]);
    notes.bytes(SPACE);
    notes.bytes(WORD_BYTES[id % 5]);
    notes.bytes(LOREM);
    notes.padTo(60, DOT);
    notes.endRow();
  }
  const active = bitmap(length, (i) => (idAt(i) - 1) % 3 !== 0);
  const scoreValid = bitmap(length, (i) => (idAt(i) - 1) % 97 !== 0);
  const noteValid = bitmap(length, (i) => (idAt(i) - 1) % 89 !== 0);
  const children = [
    makeData({ type: new Int64(), length, data: ids }),
    emails.data(),
    names.data(),
    makeData({ type: new Float64(), length, data: scores, nullBitmap: scoreValid.bytes, nullCount: scoreValid.nulls }),
    makeData({ type: new Bool(), length, data: active.bytes }),
    makeData({ type: new TimestampMicrosecond('UTC'), length, data: times }),
    countries.data(),
    notes.data(noteValid.bytes, noteValid.nulls),
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
      lines[i] =
        `${id.get(i)},${email.get(i)},${name.get(i)},${s === null ? '' : s},${active.get(i)},${iso}.${micros}Z,${country.get(i)},${n === null ? '' : `"${n}"`}`;
    }
    yield lines.join('\n') + '\n';
  }
}
