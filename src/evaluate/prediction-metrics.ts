// Scores of predictions against true values: accuracy, F1, ROC AUC for classes, R2 for
// numbers. The definitions follow scikit-learn's metrics of the same names.

/**
 * Share of rows whose predicted class is the true one.
 * @returns NaN for no rows
 */
export function accuracy(truth: Int32Array, predicted: Int32Array): number {
  if (truth.length === 0) return NaN;
  let right = 0;
  for (let row = 0; row < truth.length; row++) if (truth[row] === predicted[row]) right++;
  return right / truth.length;
}

/**
 * F1 of one class: 2 TP / (2 TP + FP + FN); 0 when the class is neither true nor predicted
 * anywhere (scikit-learn's zero_division=0).
 */
export function f1Score(truth: Int32Array, predicted: Int32Array, positive: number): number {
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (let row = 0; row < truth.length; row++) {
    const isTrue = truth[row] === positive;
    const isPredicted = predicted[row] === positive;
    if (isTrue && isPredicted) truePositive++;
    else if (isPredicted) falsePositive++;
    else if (isTrue) falseNegative++;
  }
  const denominator = 2 * truePositive + falsePositive + falseNegative;
  return denominator === 0 ? 0 : (2 * truePositive) / denominator;
}

/**
 * Unweighted mean of the per-class F1 over the classes that occur in `truth` or `predicted`.
 * @returns NaN for no rows
 */
export function macroF1(truth: Int32Array, predicted: Int32Array): number {
  const classes = new Set<number>([...truth, ...predicted]);
  if (classes.size === 0) return NaN;
  let total = 0;
  for (const label of classes) total += f1Score(truth, predicted, label);
  return total / classes.size;
}

/**
 * Area under the ROC curve from scores of the positive class: the probability that a random
 * positive row scores above a random negative one, ties counting half (Mann-Whitney U).
 * @param positive 1 for positive rows, 0 for negative ones
 * @returns NaN unless both classes occur
 */
export function rocAuc(positive: Uint8Array, scores: Float32Array | Float64Array): number {
  const order = Array.from({ length: scores.length }, (_, row) => row);
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  // Rows with equal scores share the mean of their ranks (ranks start at 1).
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (positive[order[k]!] === 1) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Coefficient of determination: 1 - residual sum of squares / total sum of squares.
 * @returns NaN for fewer than two rows or a constant truth
 */
export function rSquared(truth: Float64Array, predicted: Float64Array): number {
  if (truth.length < 2) return NaN;
  const mean = truth.reduce((total, value) => total + value, 0) / truth.length;
  let residual = 0;
  let spread = 0;
  for (let row = 0; row < truth.length; row++) {
    residual += (truth[row]! - predicted[row]!) ** 2;
    spread += (truth[row]! - mean) ** 2;
  }
  return spread === 0 ? NaN : 1 - residual / spread;
}
