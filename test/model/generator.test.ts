// Tests of the generator and its output activations: shapes, tanh columns within [-1, 1],
// softmax spans summing to 1, inference independent of the batch, weights round trip.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { activate } from '../../src/model/activations.ts';
import { Generator } from '../../src/model/generator.ts';
import { logitWidth, OutputPlan } from '../../src/model/output-plan.ts';
import { gaussianNoise, gumbelBlocks } from '../../src/model/random-draws.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';
import { syntheticTable } from './synthetic-table.ts';

describe('Generator', function () {
  before(async function () {
    await useBackend('wasm');
  });

  const { layout } = syntheticTable({ rows: 10, discrete: [3, 5, 2], continuous: [4, 1], seed: 2 });
  const dims = {
    noiseDim: 16,
    condDim: layout.condDim,
    outputDim: logitWidth(layout.dataDim), // 17 data columns, 24 logits
    generatorDims: [32, 24],
  };
  const plan = new OutputPlan(layout);

  /** Runs the generator and activations on `batch` rows; returns layout-ordered values. */
  function generate(
    generator: Generator,
    batch: number,
    training: boolean,
    seed: number,
  ): Float32Array {
    const rng = new Rng(seed);
    return tf.tidy(() => {
      const noise = gaussianNoise(rng, batch, dims.noiseDim);
      const hot = new Int32Array(batch).fill(1); // every row conditioned on position 1
      const logits = training
        ? generator.applyTraining(noise, hot)
        : generator.applyInference(noise, hot);
      const activated = activate(logits, gumbelBlocks(rng, batch, plan), plan, 0.2);
      assert.deepEqual(logits.shape, [batch, dims.outputDim]);
      assert.deepEqual(activated.shape, [batch, layout.dataDim]);
      const values = activated.dataSync() as Float32Array;
      return plan.toLayout({ data: values, rows: batch, cols: layout.dataDim }).data;
    });
  }

  it('outputs tanh columns within [-1, 1] and softmax spans that sum to 1', async function () {
    const values = await expectNoLeak(() => {
      const generator = new Generator(dims, new Rng(1));
      const output = generate(generator, 40, true, 3);
      generator.discardStatistics();
      generator.dispose();
      return output;
    });

    for (let row = 0; row < 40; row++) {
      for (const span of layout.spans) {
        const cells = values.subarray(
          row * layout.dataDim + span.start,
          row * layout.dataDim + span.start + span.width,
        );
        if (span.activation === 'tanh') {
          for (const value of cells)
            assert.ok(value >= -1 && value <= 1, `${span.column} ${value}`);
        } else {
          const total = cells.reduce((sum, value) => sum + value, 0);
          assert.ok(Math.abs(total - 1) < 1e-5, `${span.column} sums to ${total}`);
          for (const value of cells) assert.ok(value >= 0, `${span.column} ${value}`);
        }
      }
    }
  });

  it('depends on the batch in training mode but not in inference mode', async function () {
    await expectNoLeak(() => {
      const generator = new Generator(dims, new Rng(1));
      const rng = new Rng(4);
      const noise = gaussianNoise(rng, 8, dims.noiseDim);
      const hot = Int32Array.from({ length: 8 }, (_, row) => row % layout.condDim);
      const firstRows = (run: () => tf.Tensor2D): Float32Array =>
        tf.tidy(() => tf.slice(run(), [0, 0], [4, dims.outputDim]).dataSync() as Float32Array);
      const halfNoise = tf.slice(noise, [0, 0], [4, dims.noiseDim]) as tf.Tensor2D;
      const halfHot = hot.subarray(0, 4);

      const inferenceAll = firstRows(() => generator.applyInference(noise, hot));
      const inferenceHalf = firstRows(() => generator.applyInference(halfNoise, halfHot));
      const trainingAll = firstRows(() => generator.applyTraining(noise, hot));
      const trainingHalf = firstRows(() => generator.applyTraining(halfNoise, halfHot));
      generator.discardStatistics();

      assertClose(inferenceHalf, inferenceAll, 1e-6, 'inference rows');
      const differs = trainingHalf.some((value, i) => Math.abs(value - trainingAll[i]!) > 1e-3);
      assert.ok(differs, 'training rows depend on the batch statistics');
      tf.dispose([noise, halfNoise]);
      generator.dispose();
    });
  });

  it('equals the plain concatenate-and-multiply network, forward and backward', async function () {
    // The reference: x = [noise, cond]; per block x = [relu(bn(x W + b)), x]; logits = x W + b,
    // with BatchNorm on the batch statistics, from the generator's own parameter tensors.
    const generator = new Generator(dims, new Rng(8));
    const noise = gaussianNoise(new Rng(9), 30, dims.noiseDim);
    const mix = gaussianNoise(new Rng(10), 30, dims.outputDim); // [30, outputDim]
    const hot = Int32Array.from({ length: 30 }, (_, row) => (row * 7) % layout.condDim);
    const cond = tf.tensor2d(
      Float32Array.from({ length: 30 * layout.condDim }, (_, i) =>
        i % layout.condDim === hot[Math.floor(i / layout.condDim)] ? 1 : 0,
      ),
      [30, layout.condDim],
    );
    const parameters = generator.parameters().tensors();
    const reference = (): tf.Tensor2D => {
      let x = tf.concat([noise, cond], 1);
      for (let block = 0; block < dims.generatorDims.length; block++) {
        const [weight, bias, gamma, beta] = parameters.slice(4 * block, 4 * block + 4);
        const linear = tf.add(tf.matMul(x, weight as tf.Tensor2D), bias!);
        const centered = tf.sub(linear, tf.mean(linear, 0));
        const variance = tf.mean(tf.square(centered), 0);
        const normalized = tf.add(
          tf.mul(centered, tf.mul(tf.rsqrt(tf.add(variance, 1e-5)), gamma!)),
          beta!,
        );
        x = tf.concat([tf.relu(normalized) as tf.Tensor2D, x], 1);
      }
      const [weight, bias] = parameters.slice(-2);
      return tf.add(tf.matMul(x, weight as tf.Tensor2D), bias!) as tf.Tensor2D;
    };
    // A scalar that weighs every logit differently, so each gradient entry is checked.
    const objective = (logits: () => tf.Tensor2D) => () =>
      tf.sum(tf.mul(logits(), mix)) as tf.Scalar;

    const [ours, theirs] = await expectNoLeak(() => {
      const results = tf.tidy(() => {
        const run = (logits: () => tf.Tensor2D) => {
          const { value, grads } = tf.valueAndGrads(objective(logits))(parameters);
          return { value: value.dataSync()[0]!, grads: grads.map((grad) => grad.dataSync()) };
        };
        return [run(() => generator.applyTraining(noise, hot)), run(reference)];
      });
      generator.discardStatistics();
      return results;
    });

    assertClose([ours!.value], [theirs!.value], 1e-4, 'objective');
    ours!.grads.forEach((grad, index) =>
      assertClose(
        grad,
        theirs!.grads[index]!,
        1e-4,
        generator.parameters().parameters[index]!.name,
      ),
    );
    tf.dispose([noise, mix, cond]);
    generator.dispose();
  });

  it('restores identical outputs from its exported weights', async function () {
    await expectNoLeak(() => {
      const original = new Generator(dims, new Rng(5));
      tf.tidy(() => {
        original.applyTraining(gaussianNoise(new Rng(6), 20, dims.noiseDim), new Int32Array(20));
      });
      original.commitStatistics();
      const weights = [...original.parameters().toArrays(), ...original.buffers().toArrays()];

      const copy = Generator.fromWeights(dims, weights);

      assertClose(generate(copy, 6, false, 7), generate(original, 6, false, 7), 0, 'outputs');
      original.dispose();
      copy.dispose();
    });
  });

  it('rejects noise of the wrong width', function () {
    const generator = new Generator(dims, new Rng(1));

    assert.throws(
      () => tf.tidy(() => generator.applyInference(tf.zeros([2, 15]), new Int32Array(2))),
      {
        name: 'ShapeMismatchError',
        message: 'generator noise: expected shape [2, 16], got [2, 15]',
      },
    );
    generator.dispose();
  });

  it('rejects condition positions that do not match the batch', function () {
    const generator = new Generator(dims, new Rng(1));

    assert.throws(
      () => tf.tidy(() => generator.applyInference(tf.zeros([3, 16]), new Int32Array(2))),
      {
        name: 'ShapeMismatchError',
        message: 'generator condition positions (condDim 10): expected shape [3], got [2]',
      },
    );
    assert.throws(() => tf.tidy(() => generator.applyInference(tf.zeros([3, 16]), null)), {
      message: 'generator condition positions (condDim 10): expected shape [3], got []',
    });
    generator.dispose();
  });
});
