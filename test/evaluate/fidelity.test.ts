// Column Shapes and Column Pair Trends: a tiny table worked out by hand, identical tables,
// and a column-shuffled copy (same shapes, broken relations).
import assert from 'node:assert/strict';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { EvaluationResult } from '../../src/evaluate/result.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { readTable } from '../../src/io/read-table.ts';
import { shuffleColumns, VEGA_DATA } from './tables.ts';
import { PENGUINS_METADATA } from '../helpers/vega-tables.ts';

const close = (actual: number | null, expected: number, tolerance = 1e-9): void =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `expected ${expected}, got ${actual}`,
  );

const TINY_METADATA: TableMetadata = {
  columns: [
    { name: 'x', type: 'continuous' },
    { name: 'y', type: 'continuous' },
    { name: 'c', type: 'categorical' },
    { name: 'key', type: 'id' },
  ],
};

const tinyReal = arrow.tableFromArrays({
  x: Float64Array.of(1, 2, 3, 4),
  y: Float64Array.of(10, 20, 30, 40),
  c: ['a', 'a', 'b', 'b'],
  key: ['r1', 'r2', 'r3', 'r4'],
});
const tinySynthetic = arrow.tableFromArrays({
  x: Float64Array.of(1, 2, 3, 5),
  y: Float64Array.of(40, 30, 20, 10),
  c: ['a', 'b', 'b', 'b'],
  key: ['s1', 's2', 's3', 's4'],
});

async function fidelity(
  real: arrow.Table,
  synthetic: arrow.Table,
  metadata: TableMetadata,
  options: Parameters<typeof evaluate>[1] = {},
): Promise<EvaluationResult> {
  return evaluate({ real, synthetic, metadata }, { usefulness: false, privacy: false, ...options });
}

const pair = (result: EvaluationResult, a: string, b: string) =>
  result.columnPairs.find((detail) => detail.columnA === a && detail.columnB === b)!;
const shape = (result: EvaluationResult, column: string) =>
  result.columnShapes.find((detail) => detail.column === column)!;

describe('evaluate fidelity', () => {
  describe('on a tiny table worked out by hand', () => {
    it('scores each column shape', async () => {
      const result = await fidelity(tinyReal, tinySynthetic, TINY_METADATA);

      // x: CDFs agree up to 3; at 4 real is 1 and synthetic .75: D = .25, score .75.
      close(shape(result, 'x').score, 0.75);
      // y: the same four values in another order: D = 0, score 1.
      close(shape(result, 'y').score, 1);
      // c: real a/b = .5/.5, synthetic .25/.75: TV = (.25 + .25) / 2, score .75.
      close(shape(result, 'c').score, 0.75);
      close(result.quality.columnShapes, (0.75 + 1 + 0.75) / 3);
      assert.deepEqual(result.ignoredColumns, ['key']);
    });

    it('scores each column pair', async () => {
      const result = await fidelity(tinyReal, tinySynthetic, TINY_METADATA);

      // (x, y): real r = 1. Synthetic x deviations (-1.75, -.75, .25, 2.25), y deviations
      // (15, 5, -5, -15): covariance sum -65, variance sums 8.75 and 500, r = -65/sqrt(4375).
      const syntheticR = -65 / Math.sqrt(4375);
      close(pair(result, 'x', 'y').score, 1 - Math.abs(1 - syntheticR) / 2);
      close(pair(result, 'x', 'y').syntheticCorrelation, syntheticR);

      // (x, c): each table binned on its own range into 10 bins. Real edges 1, 1.3, ... 4 put
      // x = 1, 2, 3, 4 in bins 1, 4, 7, 11; synthetic edges 1, 1.4, ... 5 put 1, 2, 3, 5 in
      // bins 1, 3, 6, 11. Cells (1, a) and (11, b) agree, the other four differ by .25
      // each: TV = 1 / 2, score .5. Real Cramer's V: every bin holds one row: V = 1.
      close(pair(result, 'x', 'c').score, 0.5);
      close(pair(result, 'x', 'c').realAssociation, 1);

      // (y, c): both tables bin y to 1, 4, 7, 11 (10 to 40). Real cells (1,a) (4,a) (7,b)
      // (11,b), synthetic (11,a) (7,b) (4,b) (1,b): only (7, b) agrees: TV .75, score .25.
      close(pair(result, 'y', 'c').score, 0.25);

      const all = (1 - Math.abs(1 - syntheticR) / 2 + 0.5 + 0.25) / 3;
      close(result.quality.columnPairTrends, all);
      // Every pair is strongly related in the real rows (|r| = 1, V = 1).
      assert.equal(result.quality.importantPairs, 3);
      close(result.quality.columnPairTrendsImportant, all);
      close(result.quality.score, ((0.75 + 1 + 0.75) / 3 + all) / 2);
    });

    it('bins on the real range when asked, as ContingencySimilarity does', async () => {
      const result = await fidelity(tinyReal, tinySynthetic, TINY_METADATA, {
        pairBinning: 'real',
      });

      // Real edges with open ends: real x in bins 1, 4, 7, 10 and synthetic 1, 2, 3, 5 in
      // 1, 4, 7, 10 too. Only (4, a) vs (4, b) differ: TV = (.25 + .25) / 2, score .75.
      close(pair(result, 'x', 'c').score, 0.75);
    });

    it('lists details worst first', async () => {
      const result = await fidelity(tinyReal, tinySynthetic, TINY_METADATA);

      const pairScores = result.columnPairs.map((detail) => detail.score!);
      assert.deepEqual(
        pairScores,
        [...pairScores].sort((a, b) => a - b),
      );
      assert.equal(result.columnShapes.at(-1)!.column, 'y');
    });
  });

  describe('nulls of a discrete column', () => {
    const real = arrow.tableFromArrays({ c: ['a', null, 'a', 'b'] });
    const synthetic = arrow.tableFromArrays({ c: ['a', 'a', 'a', 'b'] });
    const metadata: TableMetadata = { columns: [{ name: 'c', type: 'categorical' }] };

    it('count as a category by default', async () => {
      const result = await fidelity(real, synthetic, metadata);

      // Real a/null/b = .5/.25/.25, synthetic .75/0/.25: TV = (.25 + .25) / 2 = .25.
      close(shape(result, 'c').score, 0.75);
      close(shape(result, 'c').realNullShare, 0.25);
    });

    it('are dropped first with discreteNulls: drop, as SDMetrics does', async () => {
      const result = await fidelity(real, synthetic, metadata, { discreteNulls: 'drop' });

      // Real a/b = 2/3, 1/3, synthetic .75/.25: TV = (1/12 + 1/12) / 2 = 1/12.
      close(shape(result, 'c').score, 1 - 1 / 12);
    });
  });

  describe('on penguins (vega-datasets)', () => {
    const metadata: TableMetadata = PENGUINS_METADATA;
    let penguins: arrow.Table;

    before(async () => {
      penguins = await readTable(path.join(VEGA_DATA, 'penguins.json'), { metadata });
    });

    it('gives identical tables a score of 1 everywhere', async () => {
      const result = await fidelity(penguins, penguins, metadata);

      assert.equal(result.quality.score, 1);
      assert.equal(result.quality.columnShapes, 1);
      assert.equal(result.quality.columnPairTrends, 1);
      assert.equal(result.quality.columnPairTrendsImportant, 1);
      assert.equal(result.quality.scoredPairs, 21);
    });

    it('scores a column-shuffled copy the same on shapes and lower on pair trends', async () => {
      const shuffled = shuffleColumns(penguins, 7);

      const result = await fidelity(penguins, shuffled, metadata);

      // Each column keeps its values, so every shape scores exactly 1.
      assert.equal(result.quality.columnShapes, 1);
      // Flipper length and body mass correlate at r = 0.87 in the real rows and about 0 once
      // shuffled, which alone costs that pair about 0.87 / 2.
      const flipperMass = pair(result, 'Flipper Length (mm)', 'Body Mass (g)');
      assert.ok(flipperMass.realCorrelation! > 0.85, `r = ${flipperMass.realCorrelation}`);
      assert.ok(flipperMass.score! < 0.65, `score ${flipperMass.score}`);
      assert.ok(result.quality.columnPairTrends! < 0.9, `${result.quality.columnPairTrends}`);
      assert.ok(
        result.quality.columnPairTrendsImportant! < result.quality.columnPairTrends!,
        'the strongly related pairs lose the most',
      );
    });
  });
});
