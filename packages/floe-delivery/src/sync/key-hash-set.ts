/** Flags a {@link KeyHashSet} keeps per key. */
export const SEEN_BEFORE = 2;
export const SEEN_CURRENT = 4;
export const DUPLICATE = 8;
const OCCUPIED = 1;

let hashHi = 0;
let hashLo = 0;

/** Two independent 32-bit FNV-1a-style hashes of the UTF-16 code units (a 64-bit key hash), in hashHi/hashLo. */
function hashKey(key: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  hashHi = a >>> 0;
  hashLo = b >>> 0;
}

/**
 * A set of keys kept as 64-bit hashes in typed arrays (open addressing, linear probing), with a few flag bits
 * per key: 9 bytes a slot, so 10 million keys take ~150 MB where a JS `Set` of their strings would take
 * several times more. Two keys whose 64-bit hashes collide (odds ~n²/2⁶⁵: 3·10⁻⁶ for 10 million keys)
 * are taken for one.
 */
export class KeyHashSet {
  #hi: Uint32Array;
  #lo: Uint32Array;
  #flags: Uint8Array;
  #size = 0;

  constructor(capacity = 1 << 16) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.#hi = new Uint32Array(slots);
    this.#lo = new Uint32Array(slots);
    this.#flags = new Uint8Array(slots);
  }

  get size(): number {
    return this.#size;
  }

  /** The flags of `key` (0: never added). */
  flags(key: string): number {
    hashKey(key);
    const slot = this.#find(hashHi, hashLo);
    return this.#flags[slot]! & ~OCCUPIED;
  }

  /** Adds `flags` to `key`'s; answers the flags it had before (0: new key). */
  add(key: string, flags: number): number {
    hashKey(key);
    let slot = this.#find(hashHi, hashLo);
    const before = this.#flags[slot]!;
    if (before === 0) {
      if ((this.#size + 1) * 10 > this.#flags.length * 6) {
        this.#grow();
        slot = this.#find(hashHi, hashLo);
      }
      this.#hi[slot] = hashHi;
      this.#lo[slot] = hashLo;
      this.#size++;
    }
    this.#flags[slot] = before | OCCUPIED | flags;
    return before & ~OCCUPIED;
  }

  #find(hi: number, lo: number): number {
    const mask = this.#flags.length - 1;
    let slot = lo & mask;
    while (this.#flags[slot] !== 0 && (this.#hi[slot] !== hi || this.#lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  #grow(): void {
    const [hi, lo, flags] = [this.#hi, this.#lo, this.#flags];
    this.#hi = new Uint32Array(hi.length * 2);
    this.#lo = new Uint32Array(lo.length * 2);
    this.#flags = new Uint8Array(flags.length * 2);
    for (let s = 0; s < flags.length; s++) {
      if (flags[s] === 0) continue;
      const slot = this.#find(hi[s]!, lo[s]!);
      this.#hi[slot] = hi[s]!;
      this.#lo[slot] = lo[s]!;
      this.#flags[slot] = flags[s]!;
    }
  }
}
