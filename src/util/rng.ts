// Seeded random numbers with a state that can be saved and restored, so that training and
// sampling are reproducible and a resumed run draws exactly what the stopped one would have.

/** The complete state of an Rng: four 32-bit words plus a cached Gaussian, if any. */
export interface RngState {
  words: [number, number, number, number];
  spareGaussian: number | null;
}

/**
 * xoshiro128** (Blackman and Vigna, 2018): 32-bit arithmetic, so it runs fast in JavaScript
 * and gives the same stream on every platform. Not for cryptography.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed any integer (or string); equal seeds give equal streams
   */
  constructor(seed: number | string) {
    // splitmix32 expands the seed into four non-zero words, the usual seeding for xoshiro.
    let x = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    // Words are kept as int32 (`| 0`) so that V8 stores them as small integers, not doubles.
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
  }

  /** A new generator from a saved state. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /** An independent child stream, e.g. one per purpose ('noise', 'rows'). */
  fork(label: string): Rng {
    return new Rng(hashString(`${label}:${this.nextUint32()}`));
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Fills `out` with the next `out.length` values of nextUint32, in order (the same stream,
   * about three times faster than calling nextUint32 in a loop).
   */
  fillUint32(out: Uint32Array): Uint32Array {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < out.length; i++) {
      const scaled = Math.imul(s1, 5);
      out[i] = Math.imul((scaled << 7) | (scaled >>> 25), 9);
      const shifted = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= shifted;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Uniform double in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box-Muller; the second value of each pair is kept for later). */
  gaussian(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with standard normal draws and returns it. */
  fillGaussian(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.gaussian();
    return out;
  }

  /** Fills `out` with uniform draws in [0, 1) and returns it. */
  fillUniform(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.next();
    return out;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** The generator's state, a plain JSON-safe object. */
  getState(): RngState {
    const words = [this.s0, this.s1, this.s2, this.s3].map((w) => w >>> 0);
    return { words: words as RngState['words'], spareGaussian: this.spare };
  }

  /** Restores a state from `getState`. */
  setState(state: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.words.map((w) => w | 0) as RngState['words'];
    this.spare = state.spareGaussian;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a hash of a string to a 32-bit seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
