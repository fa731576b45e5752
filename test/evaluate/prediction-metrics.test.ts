// Accuracy, F1, ROC AUC and R2 on cases worked out by hand.
import assert from 'node:assert/strict';

import {
  accuracy,
  f1Score,
  macroF1,
  rocAuc,
  rSquared,
} from '../../src/evaluate/prediction-metrics.ts';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);

describe('evaluate prediction metrics', () => {
  // Rows: truth 1 1 0 0 1, predicted 1 0 1 0 1.
  const truth = Int32Array.of(1, 1, 0, 0, 1);
  const predicted = Int32Array.of(1, 0, 1, 0, 1);

  it('accuracy is the share of right predictions', () => {
    close(accuracy(truth, predicted), 3 / 5);
  });

  it('F1 of a class is 2TP / (2TP + FP + FN)', () => {
    // Class 1: TP 2 (rows 1, 5), FP 1 (row 3), FN 1 (row 2): 4 / 6.
    close(f1Score(truth, predicted, 1), 4 / 6);
    // Class 0: TP 1 (row 4), FP 1 (row 2), FN 1 (row 3): 2 / 4.
    close(f1Score(truth, predicted, 0), 2 / 4);
    close(macroF1(truth, predicted), (4 / 6 + 2 / 4) / 2);
    assert.equal(f1Score(truth, predicted, 7), 0);
  });

  it('ROC AUC counts ranked positive-negative pairs, ties as half', () => {
    // Positives score .9 and .4, negatives .4 and .1: pairs (.9,.4) 1, (.9,.1) 1,
    // (.4,.4) 0.5, (.4,.1) 1: 3.5 of 4.
    const positive = Uint8Array.of(1, 1, 0, 0);
    const scores = Float32Array.of(0.9, 0.4, 0.4, 0.1);

    close(rocAuc(positive, scores), 3.5 / 4);
    assert.ok(Number.isNaN(rocAuc(Uint8Array.of(1, 1), Float32Array.of(0.2, 0.3))));
  });

  it('R2 is 1 - residual / total sum of squares', () => {
    // Truth 1 2 3 (mean 2, total 2), predicted 1 2 4 (residual 1): 1 - 1/2.
    close(rSquared(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 4)), 0.5);
    assert.ok(Number.isNaN(rSquared(Float64Array.of(5, 5), Float64Array.of(5, 5))));
  });
});
