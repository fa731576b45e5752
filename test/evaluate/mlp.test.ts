// The usefulness network: it learns simple made-up problems, is deterministic for a seed,
// returns [rows, outputs] and leaves no tensors behind.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { ensureBackend } from '../../src/evaluate/backend.ts';
import { Mlp, type MlpOptions } from '../../src/evaluate/mlp.ts';
import type { Matrix } from '../../src/transform/layout.ts';
import { ShapeMismatchError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

const OPTIONS: MlpOptions = {
  hiddenUnits: [16],
  epochs: 30,
  batchSize: 32,
  learningRate: 0.01,
  weightDecay: 0,
  seed: 3,
};

// 400 rows of two standard normal features.
function features(seed: number): Matrix {
  const data = new Rng(seed).fillGaussian(new Float32Array(400 * 2));
  return { data, rows: 400, cols: 2 };
}

describe('evaluate Mlp', () => {
  before(async () => {
    await ensureBackend();
  });

  it('learns a linearly separable class and returns class probabilities', () => {
    const x = features(1);
    // Class 1 when a + b > 0, as a one-hot [rows, 2].
    const oneHot = new Float32Array(x.rows * 2);
    for (let row = 0; row < x.rows; row++) {
      oneHot[row * 2 + (x.data[row * 2]! + x.data[row * 2 + 1]! > 0 ? 1 : 0)] = 1;
    }
    const tensorsBefore = tf.memory().numTensors;

    const network = Mlp.train(
      x,
      { data: oneHot, rows: x.rows, cols: 2 },
      'classification',
      OPTIONS,
    );
    const probabilities = network.predict(x);
    network.dispose();

    assert.equal(probabilities.length, x.rows * 2); // [rows, 2]
    let right = 0;
    for (let row = 0; row < x.rows; row++) {
      const [p0, p1] = [probabilities[row * 2]!, probabilities[row * 2 + 1]!];
      assert.ok(Math.abs(p0 + p1 - 1) < 1e-5, `row ${row} sums to ${p0 + p1}`);
      if ((p1 > p0 ? 1 : 0) === oneHot[row * 2 + 1]) right++;
    }
    assert.ok(right / x.rows > 0.95, `accuracy ${right / x.rows}`);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  it('learns a linear regression target', () => {
    const x = features(2);
    const y = new Float32Array(x.rows).map((_, row) => 2 * x.data[row * 2]! - x.data[row * 2 + 1]!);
    const tensorsBefore = tf.memory().numTensors;

    const network = Mlp.train(x, { data: y, rows: x.rows, cols: 1 }, 'regression', OPTIONS);
    const predicted = network.predict(x);
    network.dispose();

    // y has variance 5; a residual mean square below 0.25 means R2 above 0.95.
    const residual = y.reduce((sum, value, row) => sum + (value - predicted[row]!) ** 2, 0);
    assert.ok(residual / x.rows < 0.25, `mean squared error ${residual / x.rows}`);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  it('gives the same predictions for the same seed', () => {
    const x = features(3);
    const y = new Float32Array(x.rows).map((_, row) => x.data[row * 2]!);
    const run = (): Float32Array => {
      const network = Mlp.train(x, { data: y, rows: x.rows, cols: 1 }, 'regression', {
        ...OPTIONS,
        epochs: 2,
      });
      const out = network.predict(x);
      network.dispose();
      return out;
    };

    assert.deepEqual(run(), run());
  });

  it('refuses targets with another row count', () => {
    const x = features(4);

    assert.throws(
      () => Mlp.train(x, { data: new Float32Array(3), rows: 3, cols: 1 }, 'regression', OPTIONS),
      (error: unknown) =>
        error instanceof ShapeMismatchError &&
        error.message === 'MLP targets: expected shape [400, 1], got [3, 1]',
    );
  });
});
