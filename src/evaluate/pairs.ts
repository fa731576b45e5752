// Column Pair Trends, as SDMetrics' Quality Report defines it: per pair of columns, the
// correlation similarity when both are numeric, else the contingency similarity with numeric
// columns cut into 10 equal-width bins; averaged over all pairs and over the pairs that are
// strongly related in the real rows (|r| > 0.5, Cramer's V > 0.3).
import type { EncodedColumn } from './columns.ts';
import type { PairTrendDetail } from './result.ts';
import { worstFirst } from './shapes.ts';
import {
  cramersV,
  digitize,
  histogramEdges,
  jointCounts,
  meanOfPresent,
  pearson,
  totalVariation,
} from './statistics.ts';

/**
 * Where the bin edges of a numeric column in a mixed pair come from.
 * - per-table: each table is cut on its own range, as SDMetrics' Quality Report does
 *   (default; a synthetic column on a shifted range is compared bin index by bin index)
 * - real: both tables are cut on the real range with open outer bins, as SDMetrics'
 *   ContingencySimilarity does when it discretizes by itself
 */
export type PairBinning = 'per-table' | 'real';

/** SDMetrics' default thresholds for "the pairs that matter". */
export const CORRELATION_THRESHOLD = 0.5;
export const ASSOCIATION_THRESHOLD = 0.3;

/** Equal-width bins of a numeric column in a mixed pair (numpy's default of 10). */
const PAIR_BINS = 10;

/** The pair trends and their averages. */
export interface PairTrends {
  /** Worst first. */
  details: PairTrendDetail[];
  /** Mean over all scored pairs (NaN when none). */
  scoreAll: number;
  /** Mean over the important pairs (NaN when none). */
  scoreImportant: number;
}

/**
 * Scores every pair of evaluated columns.
 * @param columns the encoded columns
 * @param real the real table's arrays, aligned with `columns`
 * @param synthetic the synthetic table's arrays
 * @param binning default 'per-table'
 * @returns per-pair details, worst first, and the two averages
 */
export function columnPairTrends(
  columns: EncodedColumn[],
  real: (Float64Array | Int32Array)[],
  synthetic: (Float64Array | Int32Array)[],
  binning: PairBinning = 'per-table',
): PairTrends {
  // Numeric columns binned for the mixed pairs: on each table's own range, or the real one.
  const codesOf = (index: number, values: Float64Array | Int32Array): Coded | null => {
    const column = columns[index]!;
    if (column.kind === 'categorical') {
      return { codes: values as Int32Array, size: column.labels.length };
    }
    const edges =
      binning === 'real'
        ? realEdges(real[index] as Float64Array)
        : histogramEdges(values as Float64Array, PAIR_BINS);
    if (edges === null) return null;
    // digitize yields 0..edges.length for values and edges.length + 1 for nulls.
    return { codes: digitize(values as Float64Array, edges), size: edges.length + 2 };
  };
  const discreteReal = real.map((values, index) => codesOf(index, values));
  const discreteSynthetic = synthetic.map((values, index) => codesOf(index, values));

  const details: PairTrendDetail[] = [];
  for (let first = 0; first < columns.length; first++) {
    for (let second = first + 1; second < columns.length; second++) {
      const a = columns[first]!;
      const b = columns[second]!;
      if (a.kind === 'numeric' && b.kind === 'numeric') {
        details.push(correlationPair(a, b, real, synthetic, first, second));
      } else {
        details.push(
          contingencyPair(a, b, discreteReal[first]!, discreteReal[second]!, {
            syntheticA: discreteSynthetic[first]!,
            syntheticB: discreteSynthetic[second]!,
          }),
        );
      }
    }
  }

  const scoreAll = meanOfPresent(details.map((detail) => detail.score ?? NaN));
  const important = details.filter((detail) => detail.important);
  const scoreImportant = meanOfPresent(important.map((detail) => detail.score ?? NaN));
  details.sort(worstFirst);
  return { details, scoreAll, scoreImportant };
}

/** A column as codes: categorical codes as they are, numeric ones binned. */
interface Coded {
  codes: Int32Array;
  size: number;
}

// The real column's edges with open outer bins, so out-of-range synthetic values still land.
function realEdges(values: Float64Array): Float64Array | null {
  const edges = histogramEdges(values, PAIR_BINS);
  if (edges === null) return null;
  edges[0] = -Infinity;
  edges[edges.length - 1] = Infinity;
  return edges;
}

function correlationPair(
  a: EncodedColumn,
  b: EncodedColumn,
  real: (Float64Array | Int32Array)[],
  synthetic: (Float64Array | Int32Array)[],
  first: number,
  second: number,
): PairTrendDetail {
  const realR = pearson(real[first] as Float64Array, real[second] as Float64Array);
  const syntheticR = pearson(synthetic[first] as Float64Array, synthetic[second] as Float64Array);
  const scored = !Number.isNaN(realR) && !Number.isNaN(syntheticR);
  const detail: PairTrendDetail = {
    columnA: a.name,
    columnB: b.name,
    metric: 'CorrelationSimilarity',
    score: scored ? 1 - Math.abs(realR - syntheticR) / 2 : null,
    realCorrelation: Number.isNaN(realR) ? null : realR,
    syntheticCorrelation: Number.isNaN(syntheticR) ? null : syntheticR,
    realAssociation: null,
    important: !Number.isNaN(realR) && Math.abs(realR) > CORRELATION_THRESHOLD,
  };
  if (!scored) {
    detail.note = 'correlation undefined: a column is constant or has fewer than 2 rows';
  }
  return detail;
}

function contingencyPair(
  a: EncodedColumn,
  b: EncodedColumn,
  realA: Coded | null,
  realB: Coded | null,
  synthetic: { syntheticA: Coded | null; syntheticB: Coded | null },
): PairTrendDetail {
  const detail: PairTrendDetail = {
    columnA: a.name,
    columnB: b.name,
    metric: 'ContingencySimilarity',
    score: null,
    realCorrelation: null,
    syntheticCorrelation: null,
    realAssociation: null,
    important: false,
  };
  const { syntheticA, syntheticB } = synthetic;
  if (realA === null || realB === null || syntheticA === null || syntheticB === null) {
    detail.note = 'a numeric column has no non-null values to bin';
    return detail;
  }

  // Per-table bins give the two tables code spaces of the same size, so cells line up.
  const sizeA = Math.max(realA.size, syntheticA.size);
  const sizeB = Math.max(realB.size, syntheticB.size);
  const realCounts = jointCounts(realA.codes, sizeA, realB.codes, sizeB);
  const syntheticCounts = jointCounts(syntheticA.codes, sizeA, syntheticB.codes, sizeB);
  const distance = totalVariation(realCounts, syntheticCounts);
  const association = cramersV(realCounts, sizeA, sizeB);
  detail.score = Number.isNaN(distance) ? null : 1 - distance;
  detail.realAssociation = Number.isNaN(association) ? null : association;
  detail.important = !Number.isNaN(association) && association > ASSOCIATION_THRESHOLD;
  if (detail.score === null) detail.note = 'a table has no rows';
  return detail;
}
