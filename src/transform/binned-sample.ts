// A numeric sample summarized as bins of neighbouring values (count, mean, within-bin variance),
// so that the mixture's variational updates cost O(bins x components) instead of O(rows x ...).

/**
 * Bins of a sorted sample. Every bin holds a run of neighbouring values; identical values
 * never straddle two bins. Arrays have one entry per bin, in increasing value order.
 */
export interface BinnedSample {
  /** Rows per bin. */
  count: Float64Array;
  /** Mean value of the bin's rows. */
  mean: Float64Array;
  /** Variance of the bin's rows around the bin mean (0 for a bin of one distinct value). */
  variance: Float64Array;
  /** Total rows over all bins. */
  total: number;
}

/**
 * Summarizes sorted values into bins. A bin closes before it would hold more than
 * `total / maxBins` rows or span more than `(max - min) / maxBins`, so there are at most
 * about 3 x maxBins bins, and a column with few distinct values gets one bin per value
 * (which makes the mixture's updates exact for it).
 * @param sorted finite values in increasing order
 * @param maxBins target number of bins (for example 2048)
 * @returns the bins; empty arrays when `sorted` is empty
 */
export function binSortedValues(sorted: Float64Array, maxBins: number): BinnedSample {
  const total = sorted.length;
  const count: number[] = [];
  const mean: number[] = [];
  const variance: number[] = [];
  if (total === 0) return toSample(count, mean, variance, 0);

  const countCap = Math.max(1, Math.ceil(total / maxBins));
  const range = sorted[total - 1]! - sorted[0]!;
  const widthCap = range > 0 ? range / maxBins : Number.POSITIVE_INFINITY;

  let binCount = 0;
  let binMean = 0;
  let binScatter = 0;
  let binStart = 0;
  let index = 0;
  while (index < total) {
    // One run of identical values.
    const value = sorted[index]!;
    let runEnd = index + 1;
    while (runEnd < total && sorted[runEnd] === value) runEnd++;
    const runCount = runEnd - index;

    if (binCount > 0 && (binCount + runCount > countCap || value - binStart > widthCap)) {
      count.push(binCount);
      mean.push(binMean);
      variance.push(binScatter / binCount);
      binCount = 0;
    }
    if (binCount === 0) {
      binStart = value;
      binMean = value;
      binScatter = 0;
      binCount = runCount;
    } else {
      // Chan et al.'s pairwise update of mean and scatter, adding a run of identical values.
      const merged = binCount + runCount;
      const delta = value - binMean;
      binMean += (delta * runCount) / merged;
      binScatter += (delta * delta * binCount * runCount) / merged;
      binCount = merged;
    }
    index = runEnd;
  }
  count.push(binCount);
  mean.push(binMean);
  variance.push(binScatter / binCount);
  return toSample(count, mean, variance, total);
}

function toSample(
  count: number[],
  mean: number[],
  variance: number[],
  total: number,
): BinnedSample {
  return {
    count: Float64Array.from(count),
    mean: Float64Array.from(mean),
    variance: Float64Array.from(variance),
    total,
  };
}
