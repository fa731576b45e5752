// Bulk draws from an Rng: the same values as its one-at-a-time methods, ~5x faster (a training
// step draws ~400k numbers, which took ~7 ms one call at a time). Words come from
// Rng.fillUint32; tests compare every stream with the one-at-a-time methods.
import type { Rng } from '../util/rng.ts';

/** 2^32 as a float. */
const TWO_32 = 4294967296;

/** Scratch for raw draws, grown as needed (single-threaded use only). */
let scratch = new Uint32Array(0);

/** The Rng's next `count` words (a view of the scratch, valid until the next call). */
function words(rng: Rng, count: number): Uint32Array {
  if (scratch.length < count) scratch = new Uint32Array(Math.max(count, 2 * scratch.length));
  return rng.fillUint32(scratch.subarray(0, count));
}

/**
 * out[i] = map(u32 / 2^32) for uniform draws, exactly what rng.next() would give in order.
 * @param map applied to each uniform in [0, 1)
 * @returns out
 */
export function fillUniform(
  rng: Rng,
  out: Float32Array,
  map?: (u: number) => number,
): Float32Array {
  const draws = words(rng, out.length);
  if (map === undefined) for (let i = 0; i < out.length; i++) out[i] = draws[i]! / TWO_32;
  else for (let i = 0; i < out.length; i++) out[i] = map(draws[i]! / TWO_32);
  return out;
}

/** The largest float32 below 1 (1 - 2^-24). */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

/**
 * A 32-bit word as a uniform draw in the open interval (0, 1) that stays open in float32:
 * (word + 0.5) / 2^32, capped at the largest float32 below 1. Without the cap the 32 words
 * above 2^32 - 2^7 round to exactly 1 in float32 (probability 3e-8 a draw), and the Gumbel
 * noise -log(-log(1)) is infinite: with ~150,000 draws a step that turned a generator loss
 * into NaN within a few hundred steps on Adult.
 */
export function openUniform(word: number): number {
  return Math.min((word + 0.5) / TWO_32, FLOAT32_BELOW_ONE);
}

/**
 * Uniform draws in the open interval (0, 1), in float32: openUniform of the Rng's next words.
 * @returns out
 */
export function fillOpenUniform(rng: Rng, out: Float32Array): Float32Array {
  const draws = words(rng, out.length);
  for (let i = 0; i < out.length; i++) out[i] = openUniform(draws[i]!);
  return out;
}

/**
 * Standard normal draws, the same values rng.fillGaussian(out) gives (Box-Muller pairs, the
 * second of each pair kept for the next draw).
 * @returns out
 */
export function fillGaussian(rng: Rng, out: Float32Array): Float32Array {
  const state = rng.getState();
  let index = 0;
  let spare = state.spareGaussian;
  if (spare !== null && out.length > 0) {
    out[index++] = spare;
    spare = null;
  }
  const pairs = Math.ceil((out.length - index) / 2);
  const draws = words(rng, 2 * pairs);
  for (let pair = 0; pair < pairs; pair++) {
    // Rng.gaussian redraws u = 0 (probability 2^-32 per pair), which shifts the rest of the
    // stream: leave that rare case to the one-at-a-time path.
    if (draws[2 * pair] === 0) {
      rng.setState(state);
      return rng.fillGaussian(out);
    }
  }
  for (let pair = 0; pair < pairs; pair++) {
    const u = draws[2 * pair]! / TWO_32;
    const v = draws[2 * pair + 1]! / TWO_32;
    const radius = Math.sqrt(-2 * Math.log(u));
    out[index++] = radius * Math.cos(2 * Math.PI * v);
    const second = radius * Math.sin(2 * Math.PI * v);
    if (index < out.length) out[index++] = second;
    else spare = second;
  }
  rng.setState({ ...rng.getState(), spareGaussian: spare });
  return out;
}
