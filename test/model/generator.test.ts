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
      const hot = tf.oneHot(tf.tensor1d(new Array<number>(batch).fill(1), 'int32'), layout.condDim);
      const cond = tf.cast(hot, 'float32') as tf.Tensor2D; // [batch, condDim]
      const logits = training
        ? generator.applyTraining(noise, cond)
        : generator.applyInference(noise, cond);
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
      const cond = tf.zeros([8, layout.condDim]) as tf.Tensor2D;
      const firstRows = (run: () => tf.Tensor2D): Float32Array =>
        tf.tidy(() => tf.slice(run(), [0, 0], [4, dims.outputDim]).dataSync() as Float32Array);
      const halfNoise = tf.slice(noise, [0, 0], [4, dims.noiseDim]) as tf.Tensor2D;
      const halfCond = tf.zeros([4, layout.condDim]) as tf.Tensor2D;

      const inferenceAll = firstRows(() => generator.applyInference(noise, cond));
      const inferenceHalf = firstRows(() => generator.applyInference(halfNoise, halfCond));
      const trainingAll = firstRows(() => generator.applyTraining(noise, cond));
      const trainingHalf = firstRows(() => generator.applyTraining(halfNoise, halfCond));
      generator.discardStatistics();

      assertClose(inferenceHalf, inferenceAll, 1e-6, 'inference rows');
      const differs = trainingHalf.some((value, i) => Math.abs(value - trainingAll[i]!) > 1e-3);
      assert.ok(differs, 'training rows depend on the batch statistics');
      tf.dispose([noise, cond, halfNoise, halfCond]);
      generator.dispose();
    });
  });

  it('restores identical outputs from its exported weights', async function () {
    await expectNoLeak(() => {
      const original = new Generator(dims, new Rng(5));
      tf.tidy(() => {
        original.applyTraining(
          gaussianNoise(new Rng(6), 20, dims.noiseDim),
          tf.zeros([20, layout.condDim]),
        );
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
      () =>
        tf.tidy(() => generator.applyInference(tf.zeros([2, 15]), tf.zeros([2, layout.condDim]))),
      {
        name: 'ShapeMismatchError',
        message: 'generator noise: expected shape [2, 16], got [2, 15]',
      },
    );
    generator.dispose();
  });
});
