/**
 * An append-only byte buffer handed out in chunks: writers put bytes straight into `buf` at `pos`
 * (after {@link ByteWriter.ensure}), and {@link ByteWriter.take} hands the filled part over and starts a
 * fresh buffer (chunks are never reused: they may still be in flight or kept for the checksum).
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;
  private readonly capacity: number;

  constructor(capacity = 1 << 19) {
    this.capacity = capacity;
    this.buf = Buffer.allocUnsafe(capacity + 4096);
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes + 4096));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** True once the buffer holds a chunk's worth of bytes. */
  get full(): boolean {
    return this.pos >= this.capacity;
  }

  /** The bytes written since the last take (may be empty), as a buffer of its own. */
  take(): Buffer {
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.capacity + 4096);
    this.pos = 0;
    return chunk;
  }

  /** Writes one byte. */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Writes an ASCII string (digits, signs, letters). */
  ascii(text: string): void {
    this.ensure(text.length);
    const { buf } = this;
    let { pos } = this;
    for (let k = 0; k < text.length; k++) buf[pos++] = text.charCodeAt(k);
    this.pos = pos;
  }

  /** Writes a string as UTF-8. */
  utf8(text: string): void {
    this.ensure(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Writes a safe integer (|n| < 2^53) in decimal without making a string. */
  int(value: number): void {
    this.ensure(22);
    const { buf } = this;
    let n = value;
    if (n < 0) {
      buf[this.pos++] = 45;
      n = -n;
    }
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let probe = n; probe >= 10; probe = Math.floor(probe / 10)) digits++;
    let at = this.pos + digits;
    this.pos = at;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
    buf[at - 1] = 48 + n;
  }

  /** Writes `value` (0 ≤ value < 10^width) zero-padded to `width` digits. */
  padded(value: number, width: number): void {
    this.ensure(width);
    const { buf } = this;
    let n = value;
    for (let at = this.pos + width - 1; at >= this.pos; at--) {
      const q = Math.floor(n / 10);
      buf[at] = 48 + (n - q * 10);
      n = q;
    }
    this.pos += width;
  }

  /** Writes a 16-bit big-endian integer. */
  int16(value: number): void {
    this.ensure(2);
    this.buf[this.pos++] = (value >>> 8) & 0xff;
    this.buf[this.pos++] = value & 0xff;
  }

  /** Writes a 32-bit big-endian integer (two's complement for negatives). */
  int32(value: number): void {
    this.ensure(4);
    const { buf } = this;
    buf[this.pos++] = (value >>> 24) & 0xff;
    buf[this.pos++] = (value >>> 16) & 0xff;
    buf[this.pos++] = (value >>> 8) & 0xff;
    buf[this.pos++] = value & 0xff;
  }

  /** Writes a safe integer (|n| < 2^53) as a 64-bit big-endian two's complement integer. */
  int64(value: number): void {
    const hi = Math.floor(value / 4_294_967_296);
    this.int32(hi | 0);
    this.int32((value - hi * 4_294_967_296) >>> 0);
  }

  /** Writes a bigint (wrapped to 64 bits) as a big-endian integer. */
  bigint64(value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    this.int32(Number(unsigned >> 32n) | 0);
    this.int32(Number(unsigned & 0xffffffffn) >>> 0);
  }

  /** Copies `source[start, end)`. */
  bytes(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(length);
    if (length > 64) {
      this.buf.set(source.subarray(start, end), this.pos);
      this.pos += length;
      return;
    }
    const { buf } = this;
    let { pos } = this;
    for (let k = start; k < end; k++) buf[pos++] = source[k] as number;
    this.pos = pos;
  }

  /** Copies `width` bytes from `source` at `start` in reverse order (little-endian to big-endian). */
  reversed(source: Uint8Array, start: number, width: number): void {
    this.ensure(width);
    const { buf } = this;
    for (let k = start + width - 1; k >= start; k--) buf[this.pos++] = source[k] as number;
  }
}
