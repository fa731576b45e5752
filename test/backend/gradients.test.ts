// Tests of tabsynth's gradient registry: every gradient against central finite differences, on
// wasm and cpu; second derivatives through LeakyReLU and ReLU networks (the gradient penalty);
// the wasm results against the cpu ones.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import {
  assertClose,
  autodiffGradient,
  expectNoLeak,
  numericalGradient,
  seededTensor,
  useBackend,
} from './helpers.ts';

/** A gradient case: f maps the tested input to a scalar; `shape` is the input's shape. */
interface Case {
  title: string;
  shape: number[];
  f: (x: tf.Tensor) => tf.Scalar;
  /** Maps the seeded input away from kinks or poles, e.g. to keep |x| > 0.1. */
  input?: (x: tf.Tensor) => tf.Tensor;
}

/** Weighted sum, so that every output element gets a different sensitivity. */
function weighted(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, seededTensor(y.shape, seed))) as tf.Scalar;
}

/** Moves values of magnitude below 0.2 to +-(0.2 + |x|), away from the kink at 0. */
function awayFromZero(x: tf.Tensor): tf.Tensor {
  return tf.add(x, tf.mul(tf.sign(x), 0.2));
}

const other = (shape: number[], seed = 7): tf.Tensor => seededTensor(shape, seed);

const CASES: Case[] = [
  {
    title: 'add with a broadcast row',
    shape: [4],
    f: (b) => weighted(tf.add(other([3, 4]), b), 1),
  },
  {
    title: 'sub with a broadcast column',
    shape: [3, 1],
    f: (b) => weighted(tf.sub(other([3, 4]), b), 2),
  },
  {
    title: 'mul with a broadcast row',
    shape: [4],
    f: (b) => weighted(tf.mul(other([3, 4]), b), 3),
  },
  {
    title: 'div, as denominator',
    shape: [3, 4],
    f: (x) => weighted(tf.div(other([3, 4]), tf.add(x, 3)), 4),
  },
  {
    title: 'squared difference',
    shape: [3, 4],
    f: (x) => weighted(tf.squaredDifference(x, other([3, 4])), 5),
  },
  {
    title: 'maximum',
    shape: [3, 4],
    f: (x) => weighted(tf.maximum(x, tf.mul(other([3, 4]), 0.5)), 6),
  },
  {
    title: 'minimum',
    shape: [3, 4],
    f: (x) => weighted(tf.minimum(x, tf.mul(other([3, 4]), 0.5)), 7),
  },
  {
    title: 'where (select)',
    shape: [3, 4],
    f: (x) => weighted(tf.where(tf.greater(other([3, 4]), 0), x, tf.mul(x, 3)), 8),
  },
  { title: 'neg', shape: [3, 4], f: (x) => weighted(tf.neg(x), 9) },
  { title: 'square', shape: [3, 4], f: (x) => weighted(tf.square(x), 10) },
  { title: 'sqrt', shape: [3, 4], f: (x) => weighted(tf.sqrt(tf.add(tf.square(x), 1)), 11) },
  { title: 'rsqrt', shape: [3, 4], f: (x) => weighted(tf.rsqrt(tf.add(tf.square(x), 1)), 12) },
  { title: 'exp', shape: [3, 4], f: (x) => weighted(tf.exp(x), 13) },
  { title: 'log', shape: [3, 4], f: (x) => weighted(tf.log(tf.add(x, 2)), 14) },
  { title: 'tanh', shape: [3, 4], f: (x) => weighted(tf.tanh(x), 15) },
  { title: 'relu', shape: [3, 4], input: awayFromZero, f: (x) => weighted(tf.relu(x), 16) },
  {
    title: 'leakyRelu',
    shape: [3, 4],
    input: awayFromZero,
    f: (x) => weighted(tf.leakyRelu(x, 0.2), 17),
  },
  { title: 'sum over an axis', shape: [3, 4], f: (x) => weighted(tf.sum(x, 1), 18) },
  { title: 'sum of all', shape: [3, 4], f: (x) => tf.mul(tf.sum(x), 1.5) as tf.Scalar },
  { title: 'mean over an axis', shape: [3, 4], f: (x) => weighted(tf.mean(x, 0), 19) },
  { title: 'max over an axis', shape: [3, 4], f: (x) => weighted(tf.max(x, 1), 20) },
  { title: 'softmax over the last axis', shape: [2, 3, 4], f: (x) => weighted(tf.softmax(x), 21) },
  { title: 'reshape', shape: [3, 4], f: (x) => weighted(tf.reshape(x, [2, 6]), 22) },
  { title: 'transpose', shape: [2, 3, 4], f: (x) => weighted(tf.transpose(x, [2, 0, 1]), 23) },
  {
    title: 'concat, both inputs',
    shape: [3, 4],
    f: (x) => weighted(tf.concat([x, tf.mul(x, 2), other([3, 2])], 1), 24),
  },
  {
    title: 'split (SplitV), every part used',
    shape: [3, 4],
    f: (x) => {
      const [left, right] = tf.split(x, [1, 3], 1);
      return tf.add(weighted(left!, 32), weighted(tf.square(right!), 33)) as tf.Scalar;
    },
  },
  {
    title: 'split (SplitV), one part unused',
    shape: [3, 4],
    f: (x) => weighted(tf.split(x, [2, 1, 1], 1)[1]!, 34),
  },
  { title: 'slice', shape: [3, 4], f: (x) => weighted(tf.slice(x, [1, 1], [2, 2]), 25) },
  {
    title: 'pad',
    shape: [3, 4],
    f: (x) =>
      weighted(
        tf.pad(x, [
          [1, 0],
          [0, 2],
        ]),
        26,
      ),
  },
  { title: 'tile', shape: [2, 3], f: (x) => weighted(tf.tile(x, [2, 3]), 27) },
  { title: 'broadcastTo', shape: [1, 3], f: (x) => weighted(tf.broadcastTo(x, [4, 3]), 28) },
];

/** Products with every transpose combination, differentiated by each operand. */
for (const [transposeA, transposeB] of [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const) {
  const aShape = transposeA ? [4, 3] : [3, 4];
  const bShape = transposeB ? [5, 4] : [4, 5];
  const label = `matMul(${transposeA ? 'A^T' : 'A'}, ${transposeB ? 'B^T' : 'B'})`;
  CASES.push({
    title: `${label} by A`,
    shape: aShape,
    f: (a) => weighted(tf.matMul(a, other(bShape), transposeA, transposeB), 29),
  });
  CASES.push({
    title: `${label} by B`,
    shape: bShape,
    f: (b) => weighted(tf.matMul(other(aShape), b, transposeA, transposeB), 30),
  });
}
// A wide right operand makes the wasm gradient take the swapped orientation, (W dy^T)^T.
CASES.push({
  title: 'matMul by A with a wide B (swapped orientation on wasm)',
  shape: [2, 3],
  f: (a) => weighted(tf.matMul(a, other([3, 40])), 31),
});

/**
 * A two-layer LeakyReLU critic's gradient penalty as a function of its first weight matrix:
 * penalty(W1) = (||d/dx sum(D(x))|| - 1)^2 with D(x) = leakyRelu(x W1, 0.2) w2, per row.
 */
function penaltyOfWeights(x: tf.Tensor, w2: tf.Tensor, activation: 'leaky' | 'relu') {
  return (w1: tf.Tensor): tf.Scalar => {
    const critic = (input: tf.Tensor): tf.Tensor => {
      const hidden = tf.matMul(input, w1);
      const activated = activation === 'leaky' ? tf.leakyRelu(hidden, 0.2) : tf.relu(hidden);
      return tf.sum(tf.matMul(activated, w2));
    };
    const gradient = tf.grad(critic)(x); // [rows, inputs]
    const norms = tf.sqrt(tf.sum(tf.square(gradient), 1));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  };
}

/** Inputs whose pre-activations x W1 stay at least 0.15 away from the kink at 0. */
function penaltyInputs(): { x: tf.Tensor; w1: tf.Tensor; w2: tf.Tensor } {
  const x = tf.tensor2d([
    [0.9, -0.4, 0.3],
    [-0.2, 0.8, 0.7],
  ]);
  const w1 = tf.tensor2d([
    [0.5, -0.6, 0.2, 0.7],
    [0.3, 0.4, -0.8, 0.1],
    [-0.6, 0.9, 0.5, -0.4],
  ]);
  const w2 = tf.tensor2d([[0.7], [-1.1], [0.4], [0.9]]);
  return { x, w1, w2 };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`tabsynth gradients on ${backend}`, function () {
    before(async function () {
      await useBackend(backend);
    });

    for (const testCase of CASES) {
      it(`gives the finite-difference gradient of ${testCase.title}`, async function () {
        await expectNoLeak(() => {
          const raw = seededTensor(testCase.shape, 99);
          const x = testCase.input ? tf.tidy(() => testCase.input!(raw)) : raw;

          const analytic = autodiffGradient(testCase.f, x);
          const numeric = numericalGradient(testCase.f, x);

          // float32 central differences with h = 1e-2: truncation ~1e-4, rounding ~1e-4.
          assertClose(analytic, numeric, 2e-2, testCase.title);
          tf.dispose([raw, x]);
        });
      });
    }

    for (const activation of ['leaky', 'relu'] as const) {
      it(`differentiates the gradient penalty of a ${activation} critic twice`, async function () {
        await expectNoLeak(() => {
          const { x, w1, w2 } = penaltyInputs();
          const penalty = penaltyOfWeights(x, w2, activation);

          const analytic = autodiffGradient(penalty, w1);
          const numeric = numericalGradient(penalty, w1, 1e-3);

          // The penalty is smooth in W1 here (no pre-activation within 0.15 of the kink).
          assertClose(analytic, numeric, 2e-2, 'd penalty / d W1');
          assert.ok(
            analytic.some((value) => Math.abs(value) > 1e-3),
            'gradient is not all zero',
          );
          tf.dispose([x, w1, w2]);
        });
      });
    }

    it('gives zero gradients through comparisons and step', async function () {
      await expectNoLeak(() => {
        const x = tf.tensor1d([-1.5, -0.3, 0.4, 2]);
        const f = (input: tf.Tensor): tf.Scalar => {
          const mask = tf.cast(tf.greater(input, 0), 'float32');
          const slope = tf.step(input, 0.3);
          return tf.sum(
            tf.add(tf.mul(mask, input), tf.mul(slope, tf.cast(tf.equal(input, 2), 'float32'))),
          );
        };

        const gradient = autodiffGradient(f, x);

        // d/dx [mask(x) x] = mask(x), the masks themselves contribute nothing.
        assert.deepEqual([...gradient], [0, 0, 1, 1]);
        x.dispose();
      });
    });
  });
}

describe('tabsynth gradients on wasm against cpu', function () {
  /** Evaluates `compute` on one backend and returns its values. */
  async function on(backend: 'wasm' | 'cpu', compute: () => tf.Tensor): Promise<Float32Array> {
    await useBackend(backend);
    return tf.tidy(() => compute().dataSync() as Float32Array).slice();
  }

  it('computes transposed products like the cpu backend (wasm kernel fix)', async function () {
    for (const [transposeA, transposeB] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const product = (): tf.Tensor =>
        tf.matMul(
          seededTensor(transposeA ? [37, 23] : [23, 37], 1),
          seededTensor(transposeB ? [19, 37] : [37, 19], 2),
          transposeA,
          transposeB,
        );
      const reference = await on('cpu', product);
      const fixed = await on('wasm', product);
      assertClose(fixed, reference, 1e-5, `matMul(${transposeA}, ${transposeB})`);
    }
  });

  it('computes the second-order penalty gradient like the cpu backend', async function () {
    const compute = (): tf.Tensor => {
      const { x, w1, w2 } = penaltyInputs();
      return tf.grad(penaltyOfWeights(x, w2, 'leaky'))(w1);
    };
    const reference = await on('cpu', compute);
    const onWasm = await on('wasm', compute);
    assertClose(onWasm, reference, 1e-5, 'd penalty / d W1');
  });
});
