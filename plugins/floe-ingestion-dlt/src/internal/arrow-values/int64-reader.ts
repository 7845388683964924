const TWO_32 = 4_294_967_296;

/**
 * Reads 64-bit integers exactly: a `number` when within ±2^53 (fast, no BigInt), else a `bigint`.
 *
 * @example
 * ```ts
 * const read = int64Reader(new BigInt64Array([1n, 2n ** 60n]));
 * read(0); // 1
 * read(1); // 1152921504606846976n
 * ```
 */
export function int64Reader(values: BigInt64Array | BigUint64Array): (index: number) => number | bigint {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  if (values instanceof BigUint64Array) {
    return (index) => {
      const hi = (words[2 * index + 1] as number) >>> 0;
      return hi < 0x200000 ? hi * TWO_32 + ((words[2 * index] as number) >>> 0) : (values[index] as bigint);
    };
  }
  return (index) => {
    const hi = words[2 * index + 1] as number;
    return hi >= -0x200000 && hi < 0x200000
      ? hi * TWO_32 + ((words[2 * index] as number) >>> 0)
      : (values[index] as bigint);
  };
}
