// Hand-computed cases for the statistics the fidelity and privacy metrics are built from.
import assert from 'node:assert/strict';

import {
  cramersV,
  digitize,
  histogramEdges,
  jointCounts,
  ksStatistic,
  meanOfPresent,
  pearson,
  quantileSorted,
  totalVariation,
} from '../../src/evaluate/statistics.ts';

const close = (actual: number, expected: number, tolerance = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);

describe('evaluate statistics', () => {
  describe('ksStatistic', () => {
    it('is the largest gap between the two empirical CDFs', () => {
      // a = 1..4, b = 3..7. CDFs at 1: .25/0, 2: .5/0, 3: .75/.2, 4: 1/.4, 5: 1/.6 ...
      // gaps .25, .5, .55, .6, .4, ...: D = 0.6.
      const a = Float64Array.of(4, 2, 3, 1);
      const b = Float64Array.of(3, 4, 5, 6, 7);

      close(ksStatistic(a, b), 0.6);
      close(ksStatistic(b, a), 0.6);
    });

    it('moves both CDFs together over ties and drops nulls', () => {
      // a = {1, 1, 2} (NaN dropped), b = {1, 2, 2}. At 1: 2/3 vs 1/3; at 2: 1 vs 1. D = 1/3.
      close(ksStatistic(Float64Array.of(1, 1, 2, NaN), Float64Array.of(1, 2, 2)), 1 / 3);
    });

    it('is 0 for equal samples and NaN when a side has no values', () => {
      assert.equal(ksStatistic(Float64Array.of(5, 1, 3), Float64Array.of(1, 3, 5)), 0);
      assert.ok(Number.isNaN(ksStatistic(Float64Array.of(NaN), Float64Array.of(1))));
    });
  });

  describe('pearson', () => {
    it('matches the correlation worked out by hand, ignoring rows with a null', () => {
      // x = 1..4, y = 2, 4, 5, 9: deviations (-1.5, -.5, .5, 1.5) and (-3, -1, 0, 4);
      // covariance sum 11, variance sums 5 and 26: r = 11 / sqrt(130).
      const x = Float64Array.of(1, 2, 3, 4, NaN, 7);
      const y = Float64Array.of(2, 4, 5, 9, 100, NaN);

      close(pearson(x, y), 11 / Math.sqrt(130));
    });

    it('is NaN for a constant column or fewer than two complete rows', () => {
      assert.ok(Number.isNaN(pearson(Float64Array.of(1, 1, 1), Float64Array.of(1, 2, 3))));
      assert.ok(Number.isNaN(pearson(Float64Array.of(1, NaN), Float64Array.of(1, 2))));
    });
  });

  describe('totalVariation', () => {
    it('is half the summed gap between the two normalized tables', () => {
      // p = (.5, .25, .25), q = (.25, .25, .5): gaps .25 + 0 + .25, halved: .25.
      close(totalVariation(Float64Array.of(2, 1, 1), Float64Array.of(1, 1, 2)), 0.25);
    });
  });

  describe('cramersV', () => {
    it('is 1 for a perfect association and 0 for none', () => {
      close(cramersV(Float64Array.of(10, 0, 0, 10), 2, 2), 1);
      close(cramersV(Float64Array.of(5, 5, 5, 5), 2, 2), 0);
    });

    it('matches chi-square worked out by hand', () => {
      // [[20, 10], [10, 20]]: n = 60, every expected count 15, chi2 = 4 * 25 / 15 = 20 / 3,
      // V = sqrt(chi2 / n / 1) = sqrt(1 / 9) = 1 / 3.
      close(cramersV(Float64Array.of(20, 10, 10, 20), 2, 2), 1 / 3);
    });

    it('skips empty rows and columns, and is NaN with a single used row', () => {
      // The same table with an empty middle row and an empty last column.
      const padded = Float64Array.of(20, 10, 0, 0, 0, 0, 10, 20, 0);
      close(cramersV(padded, 3, 3), 1 / 3);
      assert.ok(Number.isNaN(cramersV(Float64Array.of(3, 4, 0, 0), 2, 2)));
    });
  });

  describe('histogramEdges and digitize', () => {
    it('cut the range into equal bins and code values as numpy.digitize does', () => {
      const edges = histogramEdges(Float64Array.of(10, 0, NaN), 10)!;

      assert.deepEqual(Array.from(edges), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Codes count the edges at or below the value; the maximum gets a bin of its own (11)
      // and a null the code after it (12).
      const codes = digitize(Float64Array.of(0, 5, 9.99, 10, NaN), edges);
      assert.deepEqual(Array.from(codes), [1, 6, 10, 11, 12]);
    });

    it('widen a constant column by 0.5 each way and give null for no values', () => {
      const edges = histogramEdges(Float64Array.of(3, 3), 10)!;

      close(edges[0]!, 2.5);
      close(edges[10]!, 3.5);
      assert.equal(histogramEdges(Float64Array.of(NaN), 10), null);
    });
  });

  describe('jointCounts', () => {
    it('counts each pair of codes in a row-major table', () => {
      const counts = jointCounts(Int32Array.of(0, 1, 1), 2, Int32Array.of(2, 0, 0), 3);

      assert.deepEqual(Array.from(counts), [0, 0, 1, 2, 0, 0]);
    });
  });

  describe('quantileSorted and meanOfPresent', () => {
    it('interpolate linearly between order statistics and skip NaN', () => {
      const sorted = Float64Array.of(1, 2, 3, 4);

      close(quantileSorted(sorted, 0.5), 2.5);
      close(quantileSorted(sorted, 0.05), 1.15); // position 0.15 between 1 and 2
      close(meanOfPresent([1, NaN, 3]), 2);
      assert.ok(Number.isNaN(meanOfPresent([NaN])));
    });
  });
});
