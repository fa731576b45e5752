// The per-column distributions the report draws: a shared histogram for numeric and datetime
// columns, the most frequent categories for discrete ones, as shares of the non-null rows.
import type { EncodedColumn } from './columns.ts';
import type { ColumnDistribution } from './result.ts';
import { countCodes } from './statistics.ts';

/** Bins of a numeric column's histogram. */
export const HISTOGRAM_BINS = 30;

/** Categories shown per discrete column; the rest are summed into one "other" bar. */
export const TOP_CATEGORIES = 20;

/**
 * Histograms and category shares of every column, real and synthetic side by side.
 * @param columns the encoded columns
 * @param real the real table's arrays, aligned with `columns`
 * @param synthetic the synthetic table's arrays
 * @returns one distribution per column, in column order
 */
export function columnDistributions(
  columns: EncodedColumn[],
  real: (Float64Array | Int32Array)[],
  synthetic: (Float64Array | Int32Array)[],
): ColumnDistribution[] {
  return columns.map((column, index) =>
    column.kind === 'numeric'
      ? numericDistribution(column, real[index] as Float64Array, synthetic[index] as Float64Array)
      : categoryDistribution(column, real[index] as Int32Array, synthetic[index] as Int32Array),
  );
}

function numericDistribution(
  column: EncodedColumn,
  real: Float64Array,
  synthetic: Float64Array,
): ColumnDistribution {
  // One set of edges over both tables' range, so out-of-range synthetic values show.
  let low = Infinity;
  let high = -Infinity;
  for (const values of [real, synthetic]) {
    for (const value of values) {
      if (Number.isNaN(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  if (low > high) {
    return { column: column.name, type: column.type, binEdges: [], real: [], synthetic: [] };
  }
  const { start, width, bins } = binLayout(low, high, isWholeNumbers(real, synthetic));
  const binEdges = Array.from({ length: bins + 1 }, (_, i) => start + i * width);
  const shares = (values: Float64Array): number[] => {
    const counts = new Float64Array(bins);
    let present = 0;
    for (const value of values) {
      if (Number.isNaN(value)) continue;
      const bin = Math.min(bins - 1, Math.floor((value - start) / width));
      counts[bin]!++;
      present++;
    }
    return Array.from(counts, (count) => (present === 0 ? 0 : count / present));
  };
  return {
    column: column.name,
    type: column.type,
    binEdges,
    real: shares(real),
    synthetic: shares(synthetic),
  };
}

// Bins over [low, high]: HISTOGRAM_BINS equal ones, or for whole numbers bins of a whole
// width centred on the integers, so that no bin holds one more integer than its neighbours.
function binLayout(
  low: number,
  high: number,
  whole: boolean,
): { start: number; width: number; bins: number } {
  if (whole) {
    const width = Math.max(1, Math.ceil((high - low + 1) / HISTOGRAM_BINS));
    return { start: low - 0.5, width, bins: Math.ceil((high - low + 1) / width) };
  }
  if (low === high) return { start: low - 0.5, width: 1 / HISTOGRAM_BINS, bins: HISTOGRAM_BINS };
  return { start: low, width: (high - low) / HISTOGRAM_BINS, bins: HISTOGRAM_BINS };
}

function isWholeNumbers(...columns: Float64Array[]): boolean {
  for (const values of columns) {
    for (const value of values) {
      if (!Number.isNaN(value) && !Number.isInteger(value)) return false;
    }
  }
  return true;
}

function categoryDistribution(
  column: EncodedColumn,
  real: Int32Array,
  synthetic: Int32Array,
): ColumnDistribution {
  const size = column.labels.length;
  const realCounts = countCodes(real, size);
  const syntheticCounts = countCodes(synthetic, size);
  const nullCode = column.labels.indexOf(null);
  if (nullCode >= 0) {
    realCounts[nullCode] = 0;
    syntheticCounts[nullCode] = 0;
  }
  const realTotal = realCounts.reduce((total, count) => total + count, 0);
  const syntheticTotal = syntheticCounts.reduce((total, count) => total + count, 0);

  // Most frequent in the real rows first; categories only the synthetic rows hold come after.
  const codes = Array.from({ length: size }, (_, code) => code).filter((code) => code !== nullCode);
  codes.sort(
    (a, b) => realCounts[b]! - realCounts[a]! || syntheticCounts[b]! - syntheticCounts[a]!,
  );
  const shown = codes.slice(0, TOP_CATEGORIES);
  const rest = codes.slice(TOP_CATEGORIES);
  // Ordinal levels are shown in their order (the declared one first), not by frequency.
  if (column.type === 'ordinal') shown.sort((a, b) => a - b);
  const share = (counts: Float64Array, total: number, picked: number[]): number =>
    total === 0 ? 0 : picked.reduce((sum, code) => sum + counts[code]!, 0) / total;

  const labels = shown.map((code) => column.labels[code]!);
  const realShares = shown.map((code) => share(realCounts, realTotal, [code]));
  const syntheticShares = shown.map((code) => share(syntheticCounts, syntheticTotal, [code]));
  if (rest.length > 0) {
    labels.push(`(${rest.length} others)`);
    realShares.push(share(realCounts, realTotal, rest));
    syntheticShares.push(share(syntheticCounts, syntheticTotal, rest));
  }
  return {
    column: column.name,
    type: column.type,
    labels,
    real: realShares,
    synthetic: syntheticShares,
  };
}
