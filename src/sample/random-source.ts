// Fast random draws for sampling: 32-bit words pulled in bulk from a seeded Rng, standard
// normals by the ziggurat method, and open-interval uniforms. Sampling a million rows needs
// about 130 million normals, so the per-draw cost decides whether drawing noise or running
// the generator takes the time (Rng.gaussian: ~30-45 ns a value; this: ~5 ns).
import type { Rng } from '../util/rng.ts';

/** Words drawn from the Rng at a time. */
const BUFFER_WORDS = 1024;

/** 2^-32: turns a 32-bit word k into the uniform (k + 0.5) / 2^32, never 0 or 1. */
const TWO_TO_MINUS_32 = 1 / 4294967296;

/**
 * Random draws from one Rng, buffered. Every method consumes the Rng's stream in call order,
 * so the same calls on an equally seeded Rng give the same values.
 */
export class RandomSource {
  private readonly words = new Uint32Array(BUFFER_WORDS);
  private position = BUFFER_WORDS;

  /** @param rng the stream to draw from (advanced in steps of 1,024 words) */
  constructor(private readonly rng: Rng) {}

  /** The next 32-bit word, as an unsigned integer. */
  uint32(): number {
    if (this.position === BUFFER_WORDS) {
      this.rng.fillUint32(this.words);
      this.position = 0;
    }
    return this.words[this.position++]!;
  }

  /** A uniform draw in the open interval (0, 1). */
  uniform(): number {
    return (this.uint32() + 0.5) * TWO_TO_MINUS_32;
  }

  /**
   * Fills out[offset .. offset + count) with standard normal draws, as `normal()` would.
   * @returns out
   */
  fillNormal(out: Float32Array, offset = 0, count = out.length - offset): Float32Array {
    const words = this.words;
    const end = offset + count;
    let position = this.position;
    for (let i = offset; i < end; i++) {
      if (position === BUFFER_WORDS) {
        this.rng.fillUint32(words);
        position = 0;
      }
      // The common case of normal(), inlined: the layer's inner part, one word.
      const word = words[position++]!;
      const layer = word & 127;
      const magnitude = ((word >>> 7) & 0xffffff) * SCALE[layer]!;
      if (magnitude < EDGE[layer + 1]!) {
        out[i] = (1 - ((word >>> 30) & 2)) * magnitude; // bit 31 set: negative
      } else {
        this.position = position;
        out[i] = this.outside(word, layer, magnitude);
        position = this.position;
      }
    }
    this.position = position;
    return out;
  }

  /**
   * One standard normal draw by the ziggurat method (Marsaglia and Tsang, "The Ziggurat Method
   * for Generating Random Variables", 2000) with 128 layers. Unlike their version, the layer,
   * the sign and the magnitude come from disjoint bits of one word (bits 0-6, 31 and 7-30), so
   * the layer does not bias the value. About 99 % of draws take one word and no logarithm.
   */
  normal(): number {
    const word = this.uint32();
    const layer = word & 127;
    const magnitude = ((word >>> 7) & 0xffffff) * SCALE[layer]!;
    if (magnitude < EDGE[layer + 1]!) return word >>> 31 === 1 ? -magnitude : magnitude;
    return this.outside(word, layer, magnitude);
  }

  /** The rare cases of a draw whose point fell outside its layer's inner part. */
  private outside(word: number, layer: number, magnitude: number): number {
    for (;;) {
      const sign = word >>> 31 === 1 ? -1 : 1;
      if (magnitude < EDGE[layer + 1]!) return sign * magnitude;
      if (layer === 0) return sign * this.tail();
      // The wedge between the layer's inner edge and the curve: accept under the density.
      const low = DENSITY[layer]!;
      const height = low + this.uniform() * (DENSITY[layer + 1]! - low);
      if (height < Math.exp(-0.5 * magnitude * magnitude)) return sign * magnitude;
      word = this.uint32();
      layer = word & 127;
      magnitude = ((word >>> 7) & 0xffffff) * SCALE[layer]!;
    }
  }

  /** A draw from the normal tail beyond R (Marsaglia 1964: two exponentials per attempt). */
  private tail(): number {
    for (;;) {
      const x = -Math.log(this.uniform()) / ZIGGURAT_R;
      const y = -Math.log(this.uniform());
      if (y + y > x * x) return ZIGGURAT_R + x;
    }
  }
}

/** Right edge of the base layer and the area of every layer, for 128 layers (the paper's). */
const ZIGGURAT_R = 3.442619855899;
const ZIGGURAT_AREA = 9.91256303526217e-3;

/*
 * The ziggurat's layers under f(x) = exp(-x^2 / 2), each of area ZIGGURAT_AREA. Layer i spans
 * x in [0, edge[i]) and f from density[i] to density[i + 1]; its part left of edge[i + 1] lies
 * wholly under the curve. Layer 0 is the base strip plus the tail beyond R, its edge[0] the
 * width a rectangle of that area would have.
 */
const { edge: EDGE, density: DENSITY, scale: SCALE } = buildZiggurat();

function buildZiggurat(): { edge: Float64Array; density: Float64Array; scale: Float64Array } {
  const layers = 128;
  const f = (x: number): number => Math.exp(-0.5 * x * x);
  const edge = new Float64Array(layers + 1);
  edge[0] = ZIGGURAT_AREA / f(ZIGGURAT_R);
  edge[1] = ZIGGURAT_R;
  for (let i = 1; i < layers - 1; i++) {
    edge[i + 1] = Math.sqrt(-2 * Math.log(ZIGGURAT_AREA / edge[i]! + f(edge[i]!)));
  }
  edge[layers] = 0;
  // The top layer [0, edge[127]) x [f(edge[127]), 1] must have the same area as the others.
  const topArea = edge[layers - 1]! * (1 - f(edge[layers - 1]!));
  if (Math.abs(topArea / ZIGGURAT_AREA - 1) > 1e-6) {
    throw new Error(`ziggurat tables inconsistent: top layer area ${topArea}`);
  }
  const density = Float64Array.from(edge, (x) => f(x));
  density[0] = 0;
  const scale = Float64Array.from(edge.subarray(0, layers), (x) => x / 16777216); // 2^24
  return { edge, density, scale };
}
