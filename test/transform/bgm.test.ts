// Tests of the Bayesian Gaussian mixture: recovery of a known mixture, pruning of spurious
// components, agreement with scikit-learn's reference fit, and the binned summaries it uses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { fitMixture, type MixtureOptions } from '../../src/transform/bgm.ts';
import { binSortedValues } from '../../src/transform/binned-sample.ts';
import { Rng } from '../../src/util/rng.ts';
import { SHARED_DATA } from './tables.ts';

const OPTIONS: MixtureOptions = {
  maxComponents: DEFAULT_CONFIG.transform.maxModes,
  weightConcentration: DEFAULT_CONFIG.transform.weightConcentration,
  minWeight: DEFAULT_CONFIG.transform.minModeWeight,
  maxIterations: DEFAULT_CONFIG.transform.maxIterations,
  tolerance: DEFAULT_CONFIG.transform.tolerance,
};

/** The reference's known mixture: weights 0.6/0.3/0.1, means -5/0/8, stds 1/0.5/2. */
const TRUTH = [
  { rows: 6000, mean: -5, std: 1 },
  { rows: 3000, mean: 0, std: 0.5 },
  { rows: 1000, mean: 8, std: 2 },
];

/** Draws the known mixture with our Rng; returns all values and each component's own. */
function drawMixture(seed: number): { all: Float64Array; parts: Float64Array[] } {
  const rng = new Rng(seed);
  const parts = TRUTH.map(({ rows, mean, std }) =>
    Float64Array.from({ length: rows }, () => mean + std * rng.gaussian()),
  );
  const all = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return { all, parts };
}

function meanOf(values: Float64Array): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function fitValues(values: Float64Array, maxBins = 2048) {
  return fitMixture(binSortedValues(Float64Array.from(values).sort(), maxBins), OPTIONS);
}

describe('fitMixture', () => {
  it('recovers a three-component mixture and keeps exactly three components', () => {
    for (const seed of [0, 1, 2]) {
      const { all, parts } = drawMixture(seed);

      const fit = fitValues(all);

      assert.equal(fit.components.length, 3, `seed ${seed}: components kept`);
      fit.components.forEach((component, index) => {
        // Compared with the drawn sample's own component statistics, so that the sampling
        // error of the draw does not count against the fit.
        const truth = TRUTH[index]!;
        const sampleMean = meanOf(parts[index]!);
        const share = truth.rows / all.length;
        assert.ok(
          Math.abs(component.mean - sampleMean) <= 0.05 * truth.std,
          `seed ${seed} component ${index}: mean ${component.mean} vs ${sampleMean}`,
        );
        assert.ok(
          Math.abs(component.weight - share) <= 0.02,
          `seed ${seed} component ${index}: weight ${component.weight} vs ${share}`,
        );
        assert.ok(
          Math.abs(component.std / truth.std - 1) <= 0.05,
          `seed ${seed} component ${index}: std ${component.std} vs ${truth.std}`,
        );
      });
    }
  });

  it('gives the same components with 2048 bins as with one bin per value', () => {
    const { all } = drawMixture(3);

    const binned = fitValues(all, 2048);
    const exact = fitValues(all, 1e9);

    assert.equal(binned.components.length, exact.components.length);
    binned.components.forEach((component, index) => {
      const other = exact.components[index]!;
      assert.ok(Math.abs(component.mean - other.mean) <= 1e-3 * other.std, 'mean');
      assert.ok(Math.abs(component.std / other.std - 1) <= 1e-3, 'std');
      assert.ok(Math.abs(component.weight - other.weight) <= 1e-3, 'weight');
    });
  });

  it('is deterministic: the same values give the same fit', () => {
    const { all } = drawMixture(4);

    assert.deepEqual(fitValues(all), fitValues(all));
  });

  it('fits one component with a positive std to a single distinct value', () => {
    const fit = fitValues(new Float64Array(50).fill(1.55e12));

    assert.equal(fit.components.length, 1);
    assert.equal(fit.components[0]!.mean, 1.55e12);
    assert.ok(fit.components[0]!.std > 0);
    assert.equal(fit.components[0]!.weight, 1);
  });

  it('drops a component below minWeight without stretching the kept ones', () => {
    // 0.2% of the rows far away: their own component weighs 0.002 < 0.005.
    const rng = new Rng(5);
    const values = Float64Array.from({ length: 10_000 }, (_, row) =>
      row < 20 ? 100 + rng.gaussian() : rng.gaussian(),
    );

    const fit = fitValues(values);

    assert.ok(fit.dropped >= 1, 'dropped');
    assert.equal(fit.components.length, 1);
    const [kept] = fit.components;
    assert.ok(Math.abs(kept!.mean) < 0.05, `mean ${kept!.mean}`);
    assert.ok(Math.abs(kept!.std - 1) < 0.05, `std ${kept!.std}`);
    assert.equal(kept!.weight, 1);
  });

  describe('compared with scikit-learn 1.2.1 (needs ../shared/data)', function () {
    const file = path.join(SHARED_DATA, 'reference/bgm-sklearn.json');

    before(function () {
      if (!fs.existsSync(file)) this.skip();
    });

    it('keeps no more components than sklearn on the known mixture, and the true three', () => {
      const reference = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        columns: Record<string, { valid_components: number }[]>;
      };
      const sklearnKept = reference.columns.three_component_mixture!.map(
        (run) => run.valid_components,
      );

      const kept = [0, 1, 2].map((seed) => fitValues(drawMixture(seed).all).components.length);

      assert.deepEqual(kept, [3, 3, 3]);
      assert.ok(Math.min(...sklearnKept) >= 3, `sklearn kept ${sklearnKept.join(', ')}`);
    });
  });
});

describe('binSortedValues', () => {
  it('keeps counts, means and variances of the rows exact', () => {
    const rng = new Rng(6);
    const sorted = Float64Array.from({ length: 5000 }, () => rng.gaussian()).sort();

    const bins = binSortedValues(sorted, 64);

    let count = 0;
    let sum = 0;
    let squares = 0;
    for (let bin = 0; bin < bins.count.length; bin++) {
      const rows = bins.count[bin]!;
      const mean = bins.mean[bin]!;
      count += rows;
      sum += rows * mean;
      squares += rows * (bins.variance[bin]! + mean * mean);
    }
    const expectedSum = sorted.reduce((total, value) => total + value, 0);
    const expectedSquares = sorted.reduce((total, value) => total + value * value, 0);
    assert.equal(count, 5000);
    assert.equal(bins.total, 5000);
    assert.ok(Math.abs(sum - expectedSum) < 1e-9, 'sum of values');
    assert.ok(Math.abs(squares - expectedSquares) < 1e-7, 'sum of squares');
    assert.ok(bins.count.length <= 3 * 64, `${bins.count.length} bins`);
  });

  it('gives one exact bin per distinct value when there are few', () => {
    const sorted = Float64Array.from([1, 1, 1, 2, 5, 5]);

    const bins = binSortedValues(sorted, 2048);

    assert.deepEqual(Array.from(bins.count), [3, 1, 2]);
    assert.deepEqual(Array.from(bins.mean), [1, 2, 5]);
    assert.deepEqual(Array.from(bins.variance), [0, 0, 0]);
  });

  it('never splits a run of identical values across bins', () => {
    const sorted = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);

    const bins = binSortedValues(sorted, 5);

    assert.equal(bins.count[0], 8);
    assert.equal(bins.variance[0], 0);
  });
});
