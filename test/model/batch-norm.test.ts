// Tests of BatchNorm: batch statistics in training, PyTorch's running-statistics update
// (momentum 0.1, unbiased variance), and inference on the running statistics.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { BatchNorm } from '../../src/model/batch-norm.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';

describe('BatchNorm', function () {
  before(async function () {
    await useBackend('wasm');
  });

  // Two rows, two features: batch mean [2, 4], biased variance [1, 4], unbiased [2, 8].
  const rows = [
    [1, 2],
    [3, 6],
  ];

  it('normalizes by the batch statistics in training, then scales and shifts', async function () {
    const output = await expectNoLeak(() => {
      const norm = new BatchNorm('norm', 2);
      norm.gamma.load(Float32Array.from([2, 1]));
      norm.beta.load(Float32Array.from([0, 10]));
      const values = tf.tidy(() => norm.applyTraining(tf.tensor2d(rows)).dataSync());
      norm.dispose();
      return values;
    });

    // (x - mean) / sqrt(var + 1e-5) * gamma + beta:
    // feature 0: [-1, 1] / 1.000005 * 2; feature 1: [-2, 2] / 2.0000025 + 10.
    const expected = [-2 / 1.000005, 10 - 1 / 1.0000025, 2 / 1.000005, 10 + 1 / 1.0000025];
    assertClose(output, expected, 1e-6, 'normalized');
  });

  it('moves the running statistics 10% toward the batch statistics', async function () {
    const norm = new BatchNorm('norm', 2);

    await expectNoLeak(() => {
      tf.tidy(() => {
        norm.applyTraining(tf.tensor2d(rows));
      });
      norm.commitStatistics();
      norm.dispose();
    });

    // mean: 0.9 * 0 + 0.1 * [2, 4]; variance: 0.9 * 1 + 0.1 * [2, 8].
    assertClose(norm.movingMean.values, [0.2, 0.4], 1e-6, 'moving mean');
    assertClose(norm.movingVariance.values, [1.1, 1.7], 1e-6, 'moving variance');
  });

  it('leaves the running statistics alone when the pass is discarded', async function () {
    const norm = new BatchNorm('norm', 2);

    await expectNoLeak(() => {
      tf.tidy(() => {
        norm.applyTraining(tf.tensor2d(rows));
      });
      norm.discardStatistics();
      norm.commitStatistics();
      norm.dispose();
    });

    assert.deepEqual([...norm.movingMean.values], [0, 0]);
    assert.deepEqual([...norm.movingVariance.values], [1, 1]);
  });

  it('uses the running statistics in inference, independent of the batch', async function () {
    const [alone, inBatch] = await expectNoLeak(() => {
      const norm = new BatchNorm('norm', 2);
      norm.movingMean.load(Float32Array.from([1, -1]));
      norm.movingVariance.load(Float32Array.from([4, 0.25]));
      norm.gamma.load(Float32Array.from([3, 1]));
      norm.beta.load(Float32Array.from([0, 1]));
      const values = tf.tidy(() => [
        norm.applyInference(tf.tensor2d([[3, 0]])).dataSync(),
        norm
          .applyInference(
            tf.tensor2d([
              [3, 0],
              [100, -50],
            ]),
          )
          .dataSync(),
      ]);
      norm.dispose();
      return values;
    });

    // (3 - 1) / sqrt(4 + 1e-5) * 3 = 2.9999963; (0 + 1) / sqrt(0.25 + 1e-5) + 1 = 2.99996.
    assertClose(alone!, [2.9999963, 2.99996], 1e-6, 'single row');
    assertClose(inBatch!.slice(0, 2), alone!, 0, 'same row in a batch');
  });
});
