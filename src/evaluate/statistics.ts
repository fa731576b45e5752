// Plain statistics over typed arrays that the fidelity and privacy metrics are built from:
// the two-sample KS statistic, Pearson's r, total variation, Cramer's V, equal-width bins.

/**
 * Two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs.
 * Null values (NaN) are dropped, as scipy's ks_2samp is given them after pandas' dropna.
 * @returns D in [0, 1], or NaN when either side has no values
 */
export function ksStatistic(first: Float64Array, second: Float64Array): number {
  const a = sortedFinite(first);
  const b = sortedFinite(second);
  if (a.length === 0 || b.length === 0) return NaN;

  // Walk both sorted samples; at each distinct value, step past all its copies on both sides
  // (ties move the two CDFs together), then compare the CDFs.
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    const gap = Math.abs(i / a.length - j / b.length);
    if (gap > largest) largest = gap;
  }
  // Once one side is used up its CDF is 1 and the gap only shrinks from here on.
  return largest;
}

/**
 * Pearson's correlation over the rows where both values are present.
 * @returns r in [-1, 1], or NaN with fewer than two such rows or a constant side
 */
export function pearson(x: Float64Array, y: Float64Array): number {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let row = 0; row < x.length; row++) {
    const a = x[row]!;
    const b = y[row]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    count++;
    sumX += a;
    sumY += b;
  }
  if (count < 2) return NaN;

  // Second pass on deviations from the means: stable for large offsets (timestamps).
  const meanX = sumX / count;
  const meanY = sumY / count;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let row = 0; row < x.length; row++) {
    const a = x[row]!;
    const b = y[row]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    const dx = a - meanX;
    const dy = b - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX === 0 || varianceY === 0) return NaN;
  const r = covariance / Math.sqrt(varianceX * varianceY);
  return Math.max(-1, Math.min(1, r));
}

/** Number of rows per code, for codes 0..size-1. */
export function countCodes(codes: Int32Array, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (let row = 0; row < codes.length; row++) counts[codes[row]!]!++;
  return counts;
}

/**
 * Joint counts of two coded columns, row-major [sizeA, sizeB].
 * @returns counts[codeA * sizeB + codeB]
 */
export function jointCounts(
  codesA: Int32Array,
  sizeA: number,
  codesB: Int32Array,
  sizeB: number,
): Float64Array {
  const counts = new Float64Array(sizeA * sizeB);
  for (let row = 0; row < codesA.length; row++) {
    counts[codesA[row]! * sizeB + codesB[row]!]!++;
  }
  return counts;
}

/**
 * Total variation distance between two frequency tables over the same cells:
 * half the sum of |p - q| once each table is divided by its total.
 * @returns a distance in [0, 1]; NaN when a table is empty
 */
export function totalVariation(countsP: Float64Array, countsQ: Float64Array): number {
  const totalP = sum(countsP);
  const totalQ = sum(countsQ);
  if (totalP === 0 || totalQ === 0) return NaN;
  let distance = 0;
  for (let cell = 0; cell < countsP.length; cell++) {
    distance += Math.abs(countsP[cell]! / totalP - countsQ[cell]! / totalQ);
  }
  return distance / 2;
}

/**
 * Cramer's V of a contingency table without bias correction (scipy's
 * `association(method='cramer')`): sqrt(chi2 / n / (min(rows, cols) - 1)), over the rows
 * and columns that hold at least one count.
 * @param counts row-major [rows, cols]
 * @returns V in [0, 1], or NaN when fewer than two rows or columns hold counts
 */
export function cramersV(counts: Float64Array, rows: number, cols: number): number {
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const count = counts[r * cols + c]!;
      rowSums[r]! += count;
      colSums[c]! += count;
      total += count;
    }
  }
  const usedRows = rowSums.filter((value) => value > 0).length;
  const usedCols = colSums.filter((value) => value > 0).length;
  if (usedRows < 2 || usedCols < 2) return NaN;

  let chiSquare = 0;
  for (let r = 0; r < rows; r++) {
    if (rowSums[r] === 0) continue;
    for (let c = 0; c < cols; c++) {
      if (colSums[c] === 0) continue;
      const expected = (rowSums[r]! * colSums[c]!) / total;
      const difference = counts[r * cols + c]! - expected;
      chiSquare += (difference * difference) / expected;
    }
  }
  return Math.sqrt(chiSquare / total / (Math.min(usedRows, usedCols) - 1));
}

/**
 * numpy's `histogram_bin_edges(values, bins)`: `bins` equal-width bins from the smallest to
 * the largest present value (widened by 0.5 each way when they are equal).
 * @returns bins + 1 edges, or null when no value is present
 */
export function histogramEdges(values: Float64Array, bins: number): Float64Array | null {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) return null;
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  // As numpy's linspace: start + i * step, with the last edge set to the stop exactly.
  const step = (high - low) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + low;
  edges[bins] = high;
  return edges;
}

/**
 * numpy's `digitize(values, edges)` for increasing edges: the number of edges at or below
 * each value, so codes run 0..edges.length; a null (NaN) gets code edges.length + 1.
 * @returns one code per value
 */
export function digitize(values: Float64Array, edges: Float64Array): Int32Array {
  const codes = new Int32Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const value = values[row]!;
    if (Number.isNaN(value)) {
      codes[row] = edges.length + 1;
      continue;
    }
    // Binary search for the first edge above the value.
    let low = 0;
    let high = edges.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (edges[middle]! <= value) low = middle + 1;
      else high = middle;
    }
    codes[row] = low;
  }
  return codes;
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default).
 * @param sorted values in increasing order
 * @param q in [0, 1]
 * @returns NaN for an empty array
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const weight = position - below;
  return sorted[below]! * (1 - weight) + sorted[above]! * weight;
}

/** Mean of the values that are not NaN; NaN when there are none. */
export function meanOfPresent(values: readonly number[]): number {
  let total = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    total += value;
    count++;
  }
  return count === 0 ? NaN : total / count;
}

function sortedFinite(values: Float64Array): Float64Array {
  return values.filter((value) => !Number.isNaN(value)).sort();
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
