// Tests of the PacGAN discriminator: pack shapes, input checks, and dropout drawn from the Rng.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { Discriminator } from '../../src/model/discriminator.ts';
import { gradientPenalty } from '../../src/model/losses.ts';
import { dropoutMask } from '../../src/model/random-draws.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, seededTensor, useBackend } from '../backend/helpers.ts';

describe('Discriminator', function () {
  before(async function () {
    await useBackend('wasm');
  });

  const dims = { inputDim: 7, pac: 4, discriminatorDims: [16, 8], leakySlope: 0.2, dropout: 0.5 };

  it('scores one value per pack of pac rows', async function () {
    const shape = await expectNoLeak(() => {
      const critic = new Discriminator(dims, new Rng(1));
      const scores = tf.tidy(
        () => critic.apply(seededTensor([12, 7], 2) as tf.Tensor2D, new Rng(3)).shape,
      );
      critic.dispose();
      return scores;
    });

    assert.deepEqual(shape, [3, 1]);
  });

  it('gives the same scores for the same dropout seed and others for another', async function () {
    await expectNoLeak(() => {
      const critic = new Discriminator(dims, new Rng(1));
      const rows = seededTensor([8, 7], 2) as tf.Tensor2D;
      const score = (rng: Rng | null): Float32Array =>
        tf.tidy(() => critic.apply(rows, rng).dataSync() as Float32Array);

      const first = score(new Rng(5));
      const again = score(new Rng(5));
      const other = score(new Rng(6));
      const withoutDropout = score(null);

      assertClose(again, first, 0, 'same seed');
      assert.notDeepEqual(other, first);
      assert.notDeepEqual(withoutDropout, first);
      rows.dispose();
      critic.dispose();
    });
  });

  it('rejects a batch that is not a multiple of pac', function () {
    const critic = new Discriminator(dims, new Rng(1));

    assert.throws(() => tf.tidy(() => critic.apply(tf.zeros([10, 7]), null)), {
      name: 'ShapeMismatchError',
      message: 'discriminator input: expected shape [k * 4, 7], got [10, 7]',
    });
    critic.dispose();
  });

  it('draws dropout masks of 0 and 1 / (1 - rate) in proportion rate', async function () {
    const values = await expectNoLeak(() =>
      tf.tidy(() => dropoutMask(new Rng(8), 100, 100, 0.5).dataSync()),
    );

    const zeros = values.filter((value) => value === 0).length;
    assert.ok(values.every((value) => value === 0 || value === 2));
    // Binomial(10000, 0.5): sd 50; allow 4 sd.
    assert.ok(Math.abs(zeros - 5000) < 200, `${zeros} zeros`);
  });
});

describe('Discriminator gradient penalty', function () {
  // Two packs of 4 rows of width 5; the input layer's weights stay away from anything special.
  const dimsForPenalty = {
    inputDim: 5,
    pac: 4,
    discriminatorDims: [6, 4],
    leakySlope: 0.2,
    dropout: 0,
  };

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives finite-difference penalty gradients on ${backend}`, async function () {
      await useBackend(backend);
      const critic = new Discriminator({ ...dimsForPenalty }, new Rng(4));
      const weights = critic
        .parameters()
        .parameters.find((p) => p.name === 'discriminator.output.weight')!;
      const real = seededTensor([8, 5], 6) as tf.Tensor2D;
      const fake = seededTensor([8, 5], 7) as tf.Tensor2D;
      const packWeights = Float32Array.from([0.3, 0.8]);
      const penalty = (): tf.Scalar =>
        gradientPenalty((rows) => critic.apply(rows, null), real, fake, packWeights, 4, 10);

      const analytic = tf
        .tidy(
          () =>
            tf
              .grads(() => penalty())([weights.tensor])[0]!
              .dataSync() as Float32Array,
        )
        .slice();
      const base = weights.values.slice();
      const numeric = Array.from(base, (_, i) => {
        const at = (delta: number): number => {
          const shifted = base.slice();
          shifted[i]! += delta;
          weights.load(shifted);
          return tf.tidy(() => penalty().dataSync()[0]!);
        };
        return (at(1e-3) - at(-1e-3)) / 2e-3;
      });
      weights.load(base);

      // The penalty depends on these weights smoothly (ReLU masks do not move with them).
      assertClose(analytic, numeric, 2e-2, 'd penalty / d output weights');
      assert.ok(analytic.some((value) => Math.abs(value) > 1e-3));
      tf.dispose([real, fake]);
      critic.dispose();
      await useBackend('wasm');
    });
  }
});
