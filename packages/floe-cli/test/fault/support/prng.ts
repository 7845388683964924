/** A seeded PRNG (mulberry32): the same seed gives the same kill points. Returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `FLOE_FAULT_SEED` when set (to replay a failure), else a fresh seed. */
export function faultSeed(): number {
  const fixed = process.env.FLOE_FAULT_SEED;
  return fixed !== undefined && fixed !== '' ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
}

/** Runs `fn`; a failure's message gets the seed and how to replay it. */
export async function withSeed<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Error)
      error.message = `${error.message}\n\n(fault seed ${seed}: rerun with FLOE_FAULT_SEED=${seed})`;
    throw error;
  }
}
