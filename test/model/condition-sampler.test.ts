// Tests of training-by-sampling: condition offsets in the cond vector and in the data rows,
// the log-frequency and empirical-frequency category choice (chi-square checks), fixed
// conditions, and tables without discrete columns.
import assert from 'node:assert/strict';

import { ConditionSampler } from '../../src/model/condition-sampler.ts';
import type { DataLayout, Matrix } from '../../src/transform/layout.ts';
import { Rng } from '../../src/util/rng.ts';
import { syntheticTable } from './synthetic-table.ts';

/**
 * Pearson's chi-square of observed counts against expected probabilities, and a critical value
 * at p = 0.001 (Wilson-Hilferty approximation of the chi-square quantile, z = 3.09).
 */
function chiSquare(
  observed: number[],
  probabilities: number[],
): { statistic: number; critical: number } {
  const total = observed.reduce((sum, count) => sum + count, 0);
  let statistic = 0;
  let cells = 0;
  observed.forEach((count, k) => {
    const expected = total * probabilities[k]!;
    if (expected === 0) {
      assert.equal(count, 0, `category ${k} has probability 0 but was drawn ${count} times`);
      return;
    }
    statistic += (count - expected) ** 2 / expected;
    cells += 1;
  });
  const df = cells - 1;
  const critical = df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
  return { statistic, critical };
}

/** Draw counts per category of each discrete column. */
function tally(
  layout: DataLayout,
  batches: Array<{ columns: Int32Array; categories: Int32Array }>,
): number[][] {
  const counts = layout.discrete.map((column) => new Array<number>(column.width).fill(0));
  for (const { columns, categories } of batches) {
    columns.forEach((column, i) => {
      counts[column]![categories[i]!]! += 1;
    });
  }
  return counts;
}

function normalize(weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

describe('ConditionSampler', function () {
  // Interleaved continuous columns make dataStart differ from condStart for every column.
  const { layout, data } = syntheticTable({
    rows: 3000,
    discrete: [4, 6, 2],
    continuous: [3, 2, 5],
    seed: 11,
    firstShare: 0.7,
  });

  describe('#sampleTraining', function () {
    it('sets condStart + category and draws rows with dataStart + category set', function () {
      const sampler = ConditionSampler.fromData(layout, data);
      const rng = new Rng(1);

      const batch = sampler.sampleTraining(2000, rng)!;
      const rows = sampler.sampleRows(batch.columns, batch.categories, rng);

      for (let i = 0; i < 2000; i++) {
        const column = layout.discrete[batch.columns[i]!]!;
        const category = batch.categories[i]!;
        assert.equal(batch.hot[i], column.condStart + category, `condition position, row ${i}`);
        const dataRow = data.data.subarray(rows[i]! * data.cols, (rows[i]! + 1) * data.cols);
        assert.equal(dataRow[column.dataStart + category], 1, `real row ${rows[i]} for draw ${i}`);
      }
    });

    it('picks columns uniformly and categories in proportion to log(1 + count)', function () {
      const sampler = ConditionSampler.fromData(layout, data);
      const rng = new Rng(2);
      const batches = Array.from({ length: 20 }, () => sampler.sampleTraining(3000, rng)!);

      const counts = tally(layout, batches);
      const perColumn = counts.map((column) => column.reduce((sum, count) => sum + count, 0));

      const columns = chiSquare(
        perColumn,
        perColumn.map(() => 1 / perColumn.length),
      );
      assert.ok(
        columns.statistic < columns.critical,
        `columns: chi2 ${columns.statistic} >= ${columns.critical}`,
      );
      sampler.counts.forEach((rowCounts, j) => {
        const logFrequency = chiSquare(
          counts[j]!,
          normalize(rowCounts.map((n) => Math.log(1 + n))),
        );
        assert.ok(
          logFrequency.statistic < logFrequency.critical,
          `column ${j}: chi2 ${logFrequency.statistic} >= ${logFrequency.critical}`,
        );
        // The raw frequencies differ enough that drawing by them would be detected.
        const raw = chiSquare(counts[j]!, normalize(rowCounts));
        assert.ok(raw.statistic > raw.critical, `column ${j} also fits raw frequencies`);
      });
    });
  });

  describe('#sampleOriginal', function () {
    it('picks categories by their empirical frequency', function () {
      const sampler = ConditionSampler.fromData(layout, data);
      const rng = new Rng(3);
      const batches = Array.from({ length: 20 }, () => sampler.sampleOriginal(3000, rng)!);

      const counts = tally(layout, batches);

      sampler.counts.forEach((rowCounts, j) => {
        const frequency = chiSquare(counts[j]!, normalize(rowCounts));
        assert.ok(
          frequency.statistic < frequency.critical,
          `column ${j}: chi2 ${frequency.statistic}`,
        );
      });
    });

    it('never draws a category that no training row has', function () {
      const counts = [
        [0, 5, 3, 0],
        [10, 0, 1, 1, 1, 2],
        [4, 0],
      ];
      const sampler = ConditionSampler.fromCounts(layout, counts);
      const rng = new Rng(4);

      const drawn = tally(layout, [
        sampler.sampleOriginal(5000, rng)!,
        sampler.sampleTraining(5000, rng)!,
      ]);

      drawn.forEach((column, j) =>
        column.forEach((count, k) => {
          if (counts[j]![k] === 0) assert.equal(count, 0, `column ${j} category ${k}`);
        }),
      );
    });
  });

  describe('#fixed', function () {
    it('conditions every row on the given column and category', function () {
      const sampler = ConditionSampler.fromData(layout, data);

      const batch = sampler.fixed(3, 1, 4);

      const position = layout.discrete[1]!.condStart + 4;
      assert.deepEqual([...batch.hot], [position, position, position]);
      assert.deepEqual([...batch.columns], [1, 1, 1]);
      assert.deepEqual([...batch.categories], [4, 4, 4]);
    });

    it('rejects a category outside the column', function () {
      const sampler = ConditionSampler.fromData(layout, data);

      assert.throws(() => sampler.fixed(3, 2, 2), {
        name: 'UsageError',
        message: 'category 2 of column category2 does not exist: it has 2 categories',
      });
      assert.throws(() => sampler.fixed(3, 3, 0), {
        name: 'UsageError',
        message: 'condition column 3 does not exist: the model has 3 discrete columns',
      });
    });
  });

  describe('without discrete columns', function () {
    const numeric = syntheticTable({ rows: 50, discrete: [], continuous: [3], seed: 5 });

    it('draws no conditions and real rows uniformly', function () {
      const sampler = ConditionSampler.fromData(numeric.layout, numeric.data);
      const rng = new Rng(6);

      const rows = sampler.sampleAnyRows(5000, rng);

      assert.equal(sampler.hasConditions, false);
      assert.equal(sampler.sampleTraining(10, rng), null);
      assert.equal(sampler.sampleOriginal(10, rng), null);
      const hits = new Array<number>(50).fill(0);
      rows.forEach((row) => (hits[row]! += 1));
      const uniform = chiSquare(
        hits,
        hits.map(() => 1 / 50),
      );
      assert.ok(uniform.statistic < uniform.critical, `chi2 ${uniform.statistic}`);
    });
  });

  it('refuses to draw real rows when made from counts only', function () {
    const sampler = ConditionSampler.fromCounts(layout, [
      [1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1],
      [1, 1],
    ]);

    assert.throws(() => sampler.sampleAnyRows(1, new Rng(1)), {
      name: 'NotFittedError',
      message: 'this ConditionSampler was made from counts and holds no training rows',
    });
  });

  it('rejects data whose width differs from the layout', function () {
    const narrow: Matrix = { data: new Float32Array(10), rows: 2, cols: 5 };

    assert.throws(() => ConditionSampler.fromData(layout, narrow), {
      name: 'ShapeMismatchError',
      message: `training data: expected shape [2, ${layout.dataDim}], got [2, 5]`,
    });
  });
});
