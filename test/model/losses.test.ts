// Tests of the losses on tiny cases derived by hand: the critic loss, the gradient penalty per
// pack (value and gradient), and the conditional cross-entropy (value and gradient).
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { conditionalLoss, criticLoss, gradientPenalty } from '../../src/model/losses.ts';
import { OutputPlan } from '../../src/model/output-plan.ts';
import type { DataLayout } from '../../src/transform/layout.ts';
import {
  assertClose,
  autodiffGradient,
  expectNoLeak,
  numericalGradient,
  useBackend,
} from '../backend/helpers.ts';
import { denseInputGradient } from './critic-helpers.ts';

describe('losses', function () {
  before(async function () {
    await useBackend('wasm');
  });

  describe('criticLoss', function () {
    it('is mean D(fake) - mean D(real)', async function () {
      const value = await expectNoLeak(() =>
        tf.tidy(
          () => criticLoss(tf.tensor2d([[1], [3]]), tf.tensor2d([[0.5], [-0.5]])).dataSync()[0],
        ),
      );

      assert.equal(value, -2);
    });
  });

  describe('gradientPenalty', function () {
    // Two packs of pac = 2 rows of width 2: the critic input is [2 packs, 4].
    const pac = 2;
    /** The penalty (lambda 10) of a dense critic on rows without conditions. */
    const penaltyOf = (
      critic: (rows: tf.Tensor2D) => tf.Tensor,
      real: tf.Tensor2D,
      fake: tf.Tensor2D,
      packWeights: number[],
    ): tf.Scalar =>
      gradientPenalty(
        denseInputGradient(critic, pac, 0),
        { data: real, conditions: null },
        { data: fake, conditions: null },
        Float32Array.from(packWeights),
        pac,
        10,
      );

    it('is lambda (||w|| - 1)^2 for a linear critic, with its gradient in w', async function () {
      // D(pack) = pack . w with w = [0.3, 0.4, 1.2, 0]: the gradient of sum(D) with respect to
      // every pack is w, whatever the interpolation, so ||gradient|| = sqrt(1.69) = 1.3 and the
      // penalty is 10 (1.3 - 1)^2 = 0.9. d/dw = 10 * 2 * 0.3 / 1.3 * w = 4.6154 w.
      const w = tf.tensor2d([[0.3], [0.4], [1.2], [0]]);
      const real = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]);
      const fake = tf.zeros([4, 2]) as tf.Tensor2D;
      const penalty = (weights: tf.Tensor): tf.Scalar => {
        const critic = (rows: tf.Tensor2D): tf.Tensor =>
          tf.matMul(tf.reshape(rows, [2, 4]), weights);
        return penaltyOf(critic, real, fake, [0.2, 0.9]);
      };

      const [value, gradient] = await expectNoLeak(() => [
        tf.tidy(() => penalty(w).dataSync()[0]!),
        autodiffGradient(penalty, w),
      ]);

      assert.ok(Math.abs((value as number) - 0.9) < 1e-5, `penalty ${value}`);
      assertClose(
        gradient as Float32Array,
        [0.3, 0.4, 1.2, 0].map((x) => x * (6 / 1.3)),
        1e-5,
        'dP/dw',
      );
      tf.dispose([w, real, fake]);
    });

    it('interpolates real and fake rows with one weight per pack', async function () {
      // D(pack) = 0.5 ||pack||^2, so the gradient is the interpolated pack itself. Real rows are
      // ones and fake rows zeros: pack p is alpha_p * ones(4), of norm 2 alpha_p.
      // alpha = [0.25, 0.75]: norms [0.5, 1.5]; penalty = 10 * mean(0.25, 0.25) = 2.5.
      const value = await expectNoLeak(() =>
        tf.tidy(() => {
          const critic = (rows: tf.Tensor2D): tf.Tensor =>
            tf.mul(tf.sum(tf.square(tf.reshape(rows, [2, 4])), 1, true), 0.5);
          const real = tf.ones([4, 2]) as tf.Tensor2D;
          const fake = tf.zeros([4, 2]) as tf.Tensor2D;
          return penaltyOf(critic, real, fake, [0.25, 0.75]).dataSync()[0]!;
        }),
      );

      assert.ok(Math.abs(value - 2.5) < 1e-5, `penalty ${value}`);
    });

    it('differentiates the penalty without a backward pass of the forward one', async function () {
      // A two-layer LeakyReLU critic. The penalty's weight gradient needs the forward products
      // (2), the input gradient's (2) and their derivatives in the weights (W1: 2, W2: 1). The
      // forward pass enters the penalty only through piecewise-constant slopes and shapes, so
      // a tape that reaches it (as when sum's gradient called onesLike(x), or LeakyReLU's a
      // recorded step(x)) adds its zero-gradient products: 3 more here.
      const w1 = tf.tensor2d([0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.7, -0.1], [4, 2]);
      const w2 = tf.tensor2d([[0.6], [-0.8]]);
      const real = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
      const fake = tf.tensor2d([0, 1, -1, 2, 0.5, 0, 1, 1], [4, 2]);
      const penalty = (first: tf.Tensor, second: tf.Tensor): tf.Scalar => {
        const critic = (rows: tf.Tensor2D): tf.Tensor =>
          tf.matMul(tf.leakyRelu(tf.matMul(tf.reshape(rows, [2, 4]), first), 0.2), second);
        return penaltyOf(critic, real, fake, [0.3, 0.6]);
      };

      const profile = await tf.profile(() => {
        const { value, grads } = tf.valueAndGrads(penalty)([w1, w2]);
        tf.dispose([value, ...grads]);
      });

      const products = profile.kernels.filter((kernel) => kernel.name === 'BatchMatMul');
      assert.equal(products.length, 7);
      tf.dispose([w1, w2, real, fake]);
    });
  });

  describe('conditionalLoss', function () {
    // One alpha column, then two discrete columns of widths 2 and 3 (internal order: tanh, the
    // width-2 span, the width-3 span), condDim 5.
    const layout: DataLayout = {
      spans: [
        { start: 0, width: 1, activation: 'tanh', role: 'alpha', column: 'x' },
        { start: 1, width: 2, activation: 'softmax', role: 'category', column: 'a' },
        { start: 3, width: 3, activation: 'softmax', role: 'category', column: 'b' },
      ],
      dataDim: 6,
      discrete: [
        { column: 'a', dataStart: 1, condStart: 0, width: 2 },
        { column: 'b', dataStart: 3, condStart: 2, width: 3 },
      ],
      condDim: 5,
    };
    const plan = new OutputPlan(layout);
    // Row 0 is conditioned on a = 1, row 1 on b = 0.
    const target = [
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ];
    const spanMask = [
      [1, 1, 0, 0, 0],
      [0, 0, 1, 1, 1],
    ];
    const logits = [
      [0.5, -0.5, 9, 9, 9],
      [7, -7, 1, 2, 3],
    ];

    function loss(x: tf.Tensor): tf.Scalar {
      return conditionalLoss(x as tf.Tensor2D, tf.tensor2d(target), tf.tensor2d(spanMask), plan);
    }

    it('is the cross-entropy of the conditioned span, averaged over rows', async function () {
      // Row 0: -log softmax([0.5, -0.5])[1] = log(1 + e^1) = 1.3132617;
      // row 1: -log softmax([1, 2, 3])[0] = log(1 + e + e^2) = 2.4076059; mean = 1.8604338.
      const value = await expectNoLeak(() =>
        tf.tidy(() => loss(tf.tensor2d(logits)).dataSync()[0]!),
      );

      assert.ok(Math.abs(value - 1.8604338) < 1e-5, `loss ${value}`);
    });

    it('has the finite-difference gradient, zero outside the conditioned spans', async function () {
      await expectNoLeak(() => {
        const x = tf.tensor2d(logits);

        const analytic = autodiffGradient(loss, x);
        const numeric = numericalGradient(loss, x, 1e-2);

        assertClose(analytic, numeric, 1e-2, 'd loss / d logits');
        assert.deepEqual(
          [analytic[2], analytic[3], analytic[4], analytic[5], analytic[6]],
          [0, 0, 0, 0, 0],
        );
        x.dispose();
      });
    });
  });
});
