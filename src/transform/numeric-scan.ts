// One-pass facts about a numeric column (range, whole numbers, decimals, time resolution) and
// its seeded samples: the sample that finds point masses and the sample the mixture is fitted on.
import type { Rng } from '../util/rng.ts';

/** Most decimals a column may have and still be rounded to them on the way back. */
export const MAX_DECIMALS = 6;

/** Time resolutions a datetime column is rounded to, coarsest first (milliseconds). */
export const DATETIME_STEPS: readonly number[] = [86_400_000, 3_600_000, 60_000, 1000, 1];

/** Range and resolution of the present values of a column. */
export interface NumericRange {
  /** Smallest and largest present value; 0 when the column has none. */
  min: number;
  max: number;
  /** Whether every present value is a whole number. */
  whole: boolean;
  /**
   * Fewest decimals that write every present value exactly (within the source's float
   * precision), or null when some value needs more than MAX_DECIMALS.
   */
  decimals: number | null;
  /** Rows holding exactly min, and exactly max. */
  minCount: number;
  maxCount: number;
}

/**
 * Scans a column's present values for their range and resolution.
 * @param values one number per row
 * @param valid 1 where the row holds a value; null when all rows do
 * @param relativeTolerance how close to a whole multiple of 10^-d counts as exact: 1e-9 for
 *   float64 sources, 1e-6 for float32 ones
 */
export function scanRange(
  values: Float64Array,
  valid: Uint8Array | null,
  relativeTolerance: number,
): NumericRange {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let decimals = 0;
  let scale = 1;
  let minCount = 0;
  let maxCount = 0;
  for (let row = 0; row < values.length; row++) {
    if (valid !== null && valid[row] === 0) continue;
    const value = values[row]!;
    if (value < min) [min, minCount] = [value, 0];
    if (value > max) [max, maxCount] = [value, 0];
    if (value === min) minCount++;
    if (value === max) maxCount++;
    // Raise the decimals until this value is a whole multiple of 10^-decimals.
    while (decimals <= MAX_DECIMALS && !isWholeMultiple(value * scale, relativeTolerance)) {
      decimals++;
      scale *= 10;
    }
  }
  if (min > max) return { min: 0, max: 0, whole: true, decimals: 0, minCount: 0, maxCount: 0 };
  return {
    min,
    max,
    whole: decimals === 0,
    decimals: decimals <= MAX_DECIMALS ? decimals : null,
    minCount,
    maxCount,
  };
}

/**
 * The coarsest of DATETIME_STEPS that divides every present value (milliseconds), or null when
 * values have sub-millisecond parts.
 */
export function scanTimeStep(values: Float64Array, valid: Uint8Array | null): number | null {
  let candidate = 0;
  for (let row = 0; row < values.length; row++) {
    if (valid !== null && valid[row] === 0) continue;
    const value = values[row]!;
    while (candidate < DATETIME_STEPS.length && value % DATETIME_STEPS[candidate]! !== 0) {
      candidate++;
    }
    if (candidate === DATETIME_STEPS.length) return null;
  }
  return DATETIME_STEPS[Math.min(candidate, DATETIME_STEPS.length - 1)]!;
}

/**
 * A seeded uniform sample, without replacement and in row order, of at most `limit` of the rows
 * that `accept` admits (Knuth's selection sampling, Algorithm S).
 * @param values one number per row
 * @param accept which rows may be drawn
 * @param accepted how many rows `accept` admits (it must be exact)
 * @param limit most rows to draw
 * @param rng the random stream; untouched when every admitted row is taken
 * @returns the drawn values
 */
export function sampleValues(
  values: Float64Array,
  accept: (row: number) => boolean,
  accepted: number,
  limit: number,
  rng: Rng,
): Float64Array {
  const size = Math.min(accepted, limit);
  const sample = new Float64Array(size);
  let taken = 0;
  let seen = 0;
  for (let row = 0; row < values.length && taken < size; row++) {
    if (!accept(row)) continue;
    const needed = size - taken;
    const left = accepted - seen;
    seen++;
    if (needed >= left || rng.next() * left < needed) sample[taken++] = values[row]!;
  }
  return sample;
}

/**
 * Values that may be point masses, judged from a sorted sample: the repeated values by count,
 * most frequent first, taken while each holds at least 0.8 x `share` of the sample rows that
 * the values before it leave (the exact counts over the column decide later), at most `limit`.
 * @param sorted the sample, sorted
 * @param share the point-mass threshold, in (0, 1)
 * @param limit most candidates
 */
export function pointMassCandidates(sorted: Float64Array, share: number, limit: number): number[] {
  const runs: { value: number; count: number }[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    if (end - start >= 2) runs.push({ value: sorted[start]!, count: end - start });
    start = end;
  }
  runs.sort(byCountThenValue);
  const candidates: number[] = [];
  let rest = sorted.length;
  for (const run of runs) {
    if (candidates.length >= limit || run.count < 0.8 * share * rest) break;
    candidates.push(run.value);
    rest -= run.count;
  }
  return candidates;
}

/** Orders values by count, most frequent first; equal counts by ascending value. */
export function byCountThenValue(
  left: { value: number; count: number },
  right: { value: number; count: number },
): number {
  return right.count - left.count || left.value - right.value;
}

function isWholeMultiple(scaled: number, relativeTolerance: number): boolean {
  return Math.abs(scaled - Math.round(scaled)) <= relativeTolerance * Math.max(1, Math.abs(scaled));
}
