// How close synthetic rows come to the real rows the model learned from: the share of exact
// copies, and the distance to the closest real record (DCR), next to the same figures for
// held-out real rows, which show how close unseen rows of the same population come by chance.
import type { EncodedColumn } from './columns.ts';
import type { DistanceSummary, PrivacyResult } from './result.ts';
import type { RowSet } from './usefulness.ts';
import { quantileSorted } from './statistics.ts';
import { Rng } from '../util/rng.ts';

/** What the privacy check needs. */
export interface PrivacyInput {
  columns: EncodedColumn[];
  /** Every real row: exact copies of any of them count. */
  allReal: RowSet;
  /** The real rows the model learned from: nearest neighbours are searched here. */
  reference: RowSet;
  synthetic: RowSet;
  /** Real rows the model never saw; null when there are none. */
  holdout: RowSet | null;
  seed: number;
  /** Query rows measured per side (a seeded sample). Default 2,000. */
  queryRows?: number;
  /** Rows of the reference searched (a seeded sample). Default 50,000. */
  referenceRows?: number;
}

/** Default number of synthetic (and of held-out) rows whose DCR is measured. */
export const QUERY_ROWS = 2_000;

/** Default cap on the real rows searched for nearest neighbours. */
export const REFERENCE_ROWS = 50_000;

// Queries and references are compared in blocks, so a block of reference rows stays in cache
// while every query of a block is measured against it.
const QUERY_BLOCK = 64;
const REFERENCE_BLOCK = 4_096;

/**
 * Exact-copy shares and distances to the closest record.
 * The distance is Gower's: the mean over columns of |a - b| / (real range) for numeric
 * columns (capped at 1) and of 0/1 mismatch for discrete ones; two nulls match, a null and
 * a value differ by 1. It lies in [0, 1].
 * @returns the figures, with a note saying how many rows were measured
 */
export function privacy(input: PrivacyInput): PrivacyResult {
  const rng = new Rng(input.seed).fork('privacy');
  const queryLimit = input.queryRows ?? QUERY_ROWS;
  const reference = sample(input.reference.rows, input.referenceRows ?? REFERENCE_ROWS, rng);
  const space = DistanceSpace.fit(input.columns, input.reference);
  const referencePoints = space.points(input.reference.values, reference);

  const realKeys = new Set(rowKeys(input.columns, input.allReal));
  const syntheticKeys = rowKeys(input.columns, input.synthetic);
  const exactMatches = syntheticKeys.filter((key) => realKeys.has(key)).length;

  const syntheticQuery = sample(input.synthetic.rows, queryLimit, rng);
  const synthetic = summarize(
    space.nearest(space.points(input.synthetic.values, syntheticQuery), referencePoints),
  );

  let holdout: DistanceSummary | null = null;
  let holdoutExactMatchShare: number | null = null;
  if (input.holdout !== null && input.holdout.rows.length > 0) {
    const trainingKeys = new Set(rowKeys(input.columns, input.reference));
    const holdoutKeys = rowKeys(input.columns, input.holdout);
    holdoutExactMatchShare =
      holdoutKeys.filter((key) => trainingKeys.has(key)).length / holdoutKeys.length;
    const holdoutQuery = sample(input.holdout.rows, queryLimit, rng);
    holdout = summarize(
      space.nearest(space.points(input.holdout.values, holdoutQuery), referencePoints),
    );
  }

  return {
    exactMatchShare: syntheticKeys.length === 0 ? 0 : exactMatches / syntheticKeys.length,
    holdoutExactMatchShare,
    synthetic,
    holdout,
    referenceRows: reference.length,
    note:
      `Gower distance (numeric: |difference| / real range, capped at 1; discrete: 0 or 1; ` +
      `mean over ${input.columns.length} columns) from up to ${queryLimit} seeded sample rows ` +
      `to the nearest of ${reference.length} real training rows.`,
  };
}

/** Rows as points: range-scaled numbers and category codes, each row-major. */
interface Points {
  rows: number;
  numbers: Float64Array; // [rows, numericColumns], NaN = null
  codes: Int32Array; // [rows, categoricalColumns]
}

/** The columns' scaling, fitted on the reference rows. */
class DistanceSpace {
  private constructor(
    private readonly numeric: { index: number; low: number; range: number }[],
    private readonly categorical: number[],
  ) {}

  static fit(columns: EncodedColumn[], reference: RowSet): DistanceSpace {
    const numeric: { index: number; low: number; range: number }[] = [];
    const categorical: number[] = [];
    columns.forEach((column, index) => {
      if (column.kind === 'categorical') {
        categorical.push(index);
        return;
      }
      const values = reference.values[index] as Float64Array;
      let low = Infinity;
      let high = -Infinity;
      for (const row of reference.rows) {
        const value = values[row]!;
        if (value < low) low = value;
        if (value > high) high = value;
      }
      const range = high > low ? high - low : 1;
      numeric.push({ index, low: Number.isFinite(low) ? low : 0, range });
    });
    return new DistanceSpace(numeric, categorical);
  }

  points(values: (Float64Array | Int32Array)[], rows: Int32Array): Points {
    const numbers = new Float64Array(rows.length * this.numeric.length);
    const codes = new Int32Array(rows.length * this.categorical.length);
    rows.forEach((row, i) => {
      this.numeric.forEach(({ index, low, range }, j) => {
        numbers[i * this.numeric.length + j] =
          ((values[index] as Float64Array)[row]! - low) / range;
      });
      this.categorical.forEach((index, j) => {
        codes[i * this.categorical.length + j] = (values[index] as Int32Array)[row]!;
      });
    });
    return { rows: rows.length, numbers, codes };
  }

  /** For each query point, the Gower distance to its nearest reference point. */
  nearest(queries: Points, reference: Points): Float64Array {
    const numericCount = this.numeric.length;
    const categoricalCount = this.categorical.length;
    const columnCount = numericCount + categoricalCount;
    // Distances are kept as sums over columns; divided by the column count at the end.
    const best = new Float64Array(queries.rows).fill(Infinity);
    for (let refStart = 0; refStart < reference.rows; refStart += REFERENCE_BLOCK) {
      const refEnd = Math.min(reference.rows, refStart + REFERENCE_BLOCK);
      for (let queryStart = 0; queryStart < queries.rows; queryStart += QUERY_BLOCK) {
        const queryEnd = Math.min(queries.rows, queryStart + QUERY_BLOCK);
        for (let q = queryStart; q < queryEnd; q++) {
          let nearest = best[q]!;
          for (let r = refStart; r < refEnd && nearest > 0; r++) {
            // Mismatches first (cheap integer compares), then numbers; stop once the partial
            // sum reaches the best distance so far, as every term is non-negative.
            let distance = 0;
            for (let j = 0; j < categoricalCount && distance < nearest; j++) {
              if (
                queries.codes[q * categoricalCount + j] !==
                reference.codes[r * categoricalCount + j]
              ) {
                distance += 1;
              }
            }
            for (let j = 0; j < numericCount && distance < nearest; j++) {
              distance += numberGap(
                queries.numbers[q * numericCount + j]!,
                reference.numbers[r * numericCount + j]!,
              );
            }
            if (distance < nearest) nearest = distance;
          }
          best[q] = nearest;
        }
      }
    }
    return columnCount === 0 ? best.fill(0) : best.map((sum) => sum / columnCount);
  }
}

// One numeric column's share of the distance: 0 for two nulls, 1 for a null and a value.
function numberGap(a: number, b: number): number {
  const aMissing = Number.isNaN(a);
  const bMissing = Number.isNaN(b);
  if (aMissing || bMissing) return aMissing && bMissing ? 0 : 1;
  return Math.min(1, Math.abs(a - b));
}

function summarize(distances: Float64Array): DistanceSummary {
  const sorted = distances.slice().sort();
  const zeros = sorted.filter((distance) => distance === 0).length;
  return {
    rows: sorted.length,
    median: quantileSorted(sorted, 0.5),
    percentile5: quantileSorted(sorted, 0.05),
    zeroShare: sorted.length === 0 ? 0 : zeros / sorted.length,
  };
}

// A row's identity over all evaluated columns: codes and numbers (-0 and 0 alike).
function rowKeys(columns: EncodedColumn[], set: RowSet): string[] {
  return Array.from(set.rows, (row) =>
    columns.map((_, index) => String(set.values[index]![row])).join('\u0001'),
  );
}

// A seeded sample of at most `limit` rows, in increasing row order.
function sample(rows: Int32Array, limit: number, rng: Rng): Int32Array {
  if (rows.length <= limit) return rows;
  const pool = Array.from(rows);
  // A partial Fisher-Yates shuffle: the first `limit` places get a uniform sample.
  for (let i = 0; i < limit; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return Int32Array.from(pool.slice(0, limit)).sort();
}
