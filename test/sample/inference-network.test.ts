// Tests of the sampling-only network: the same logits as Generator.applyInference (BatchNorm
// folded, the condition vector's product as a row lookup) for per-row, shared and absent
// conditions, no leaked tensors, and a clear error for weights that do not fit.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { Generator } from '../../src/model/generator.ts';
import { generatorDims, TrainedGenerator } from '../../src/model/trained-generator.ts';
import { InferenceNetwork } from '../../src/sample/inference-network.ts';
import type { DataLayout } from '../../src/transform/layout.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';
import { syntheticTable } from '../model/synthetic-table.ts';

const MODEL = { ...DEFAULT_CONFIG.model, noiseDim: 12, generatorDims: [20, 16] };

/** A generator with random weights and BatchNorm statistics far from the initial ones. */
function randomGenerator(layout: DataLayout): TrainedGenerator {
  const generator = new Generator(generatorDims(MODEL, layout), new Rng(1));
  const rng = new Rng(2);
  for (const parameter of [
    ...generator.parameters().parameters,
    ...generator.buffers().parameters,
  ]) {
    const variance = parameter.name.endsWith('movingVariance');
    for (let i = 0; i < parameter.values.length; i++) {
      parameter.values[i] = variance ? 0.2 + 2 * rng.next() : 2 * rng.next() - 1;
    }
    parameter.changed();
  }
  const counts = layout.discrete.map((column) => new Array<number>(column.width).fill(1));
  return new TrainedGenerator(generator, MODEL, layout, counts, true);
}

/** The plain generator's logits for noise and one-hot conditions at `positions`. */
function plainLogits(
  trained: TrainedGenerator,
  noise: Float32Array,
  positions: Int32Array | null,
  rows: number,
): Float32Array {
  return tf.tidy(() => {
    const noiseTensor = tf.tensor2d(noise, [rows, MODEL.noiseDim]);
    return trained.generator.applyInference(noiseTensor, positions).dataSync() as Float32Array;
  });
}

describe('InferenceNetwork', function () {
  before(async function () {
    await useBackend('wasm');
  });

  const rows = 37;
  const noise = new Float32Array(rows * MODEL.noiseDim).map((_, i) => Math.sin(i * 1.7));

  it('gives the plain generator logits for per-row and shared conditions', async function () {
    const { layout } = syntheticTable({
      rows: 4,
      discrete: [3, 5, 2],
      continuous: [4, 2],
      seed: 1,
    });
    const trained = randomGenerator(layout);
    const positions = Int32Array.from({ length: rows }, (_, row) => (row * 7) % layout.condDim);

    const expectedPerRow = plainLogits(trained, noise, positions, rows);
    const expectedShared = plainLogits(trained, noise, new Int32Array(rows).fill(4), rows);
    const exported = trained.toExport();
    trained.dispose();

    const [perRow, shared] = await expectNoLeak(() => {
      const network = InferenceNetwork.fromExport(exported);
      const results = [network.logits(noise, positions, rows), network.logits(noise, 4, rows)];
      network.dispose();
      return results;
    });

    // Logits are sums of ~50 float32 products of size ~1; folding BatchNorm and adding the
    // condition row in another order changes them by a few float32 ulps: 1e-5 relative.
    assert.equal(perRow!.length, expectedPerRow.length);
    assertClose(perRow!, expectedPerRow, 1e-5, 'per-row logits');
    assertClose(shared!, expectedShared, 1e-5, 'shared-condition logits');
  });

  it('gives the plain generator logits for a table without discrete columns', async function () {
    const { layout } = syntheticTable({ rows: 4, discrete: [], continuous: [3, 5], seed: 1 });
    const trained = randomGenerator(layout);

    const expected = plainLogits(trained, noise, null, rows);
    const exported = trained.toExport();
    trained.dispose();

    const actual = await expectNoLeak(() => {
      const network = InferenceNetwork.fromExport(exported);
      const logits = network.logits(noise, null, rows);
      network.dispose();
      return logits;
    });

    assertClose(actual, expected, 1e-5, 'logits');
  });

  it('refuses weights that do not fit the model config, naming the weight', async function () {
    const { layout } = syntheticTable({ rows: 4, discrete: [3], continuous: [2], seed: 1 });
    const trained = randomGenerator(layout);
    const exported = trained.toExport();
    trained.dispose();
    const broken = {
      ...exported,
      weights: exported.weights.filter((entry) => entry.name !== 'generator.block1.norm.beta'),
    };

    await expectNoLeak(() =>
      assert.throws(() => InferenceNetwork.fromExport(broken), {
        name: 'CheckpointError',
        message:
          "the model's generator weight generator.block1.norm.beta is missing, expected [16] " +
          'for its model config and layout: the bundle is damaged or from another tabsynth; ' +
          'retrain or use the matching tabsynth.',
      }),
    );
  });
});
