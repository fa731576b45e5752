// Tests of the Linear layer: PyTorch's initialization bounds, reproducibility from the seed on
// any backend, and x W + b.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { Linear } from '../../src/model/linear.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';

describe('Linear', function () {
  it('draws weights and bias uniformly within +-1/sqrt(fanIn)', function () {
    const layer = new Linear('layer', 64, 300, new Rng(1));

    const bound = 1 / 8;
    const weights = layer.weight.values;
    const bias = layer.bias.values;

    assert.deepEqual(layer.weight.shape, [64, 300]);
    assert.deepEqual(layer.bias.shape, [300]);
    for (const value of [...weights, ...bias]) assert.ok(Math.abs(value) <= bound, `${value}`);
    // Uniform on [-b, b]: mean 0 (sd of the mean b / sqrt(3 n) ~ 5e-4), max |w| close to b.
    const mean = weights.reduce((sum, value) => sum + value, 0) / weights.length;
    assert.ok(Math.abs(mean) < 3e-3, `mean ${mean}`);
    assert.ok(Math.max(...weights.map(Math.abs)) > 0.99 * bound);
  });

  it('draws the same weights for the same seed and others for another seed', function () {
    const first = new Linear('layer', 5, 3, new Rng(42));
    const again = new Linear('layer', 5, 3, new Rng(42));
    const other = new Linear('layer', 5, 3, new Rng(43));

    assert.deepEqual(again.weight.values, first.weight.values);
    assert.deepEqual(again.bias.values, first.bias.values);
    assert.notDeepEqual(other.weight.values, first.weight.values);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`computes x W + b on ${backend}`, async function () {
      await useBackend(backend);
      const input = [
        [1, 0, -1],
        [2, 1, 0],
      ];

      const output = await expectNoLeak(() => {
        const layer = new Linear('layer', 3, 2, new Rng(7));
        layer.weight.load(Float32Array.from([1, 2, 3, 4, 5, 6])); // [[1, 2], [3, 4], [5, 6]]
        layer.bias.load(Float32Array.from([0.5, -1]));
        const values = tf.tidy(() => layer.apply(tf.tensor2d(input)).dataSync());
        for (const parameter of layer.parameters()) parameter.dispose();
        return values;
      });

      // [1, 0, -1] W = [1 - 5, 2 - 6] = [-4, -4]; [2, 1, 0] W = [5, 8]; plus the bias.
      assertClose(output, [-3.5, -5, 5.5, 7], 1e-6, 'x W + b');
    });
  }
});
