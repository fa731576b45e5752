// Tests of generation: output layout and activations, reproducibility from the Rng, the plain
// export loading on another backend with identical rows, tables without discrete columns, and
// that a short training teaches the generator to produce the requested category or mode.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { TrainedGenerator } from '../../src/model/trained-generator.ts';
import { Trainer } from '../../src/model/trainer.ts';
import type { DataLayout, Matrix } from '../../src/transform/layout.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';
import { skewedCategory, syntheticTable } from './synthetic-table.ts';
import { SMALL_MODEL, smallTraining } from './small-config.ts';

/** Index of the largest value in row `row` of span [start, start + width). */
function argmaxIn(matrix: Matrix, row: number, start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) {
    if (
      matrix.data[row * matrix.cols + start + k]! > matrix.data[row * matrix.cols + start + best]!
    )
      best = k;
  }
  return best;
}

describe('TrainedGenerator', function () {
  before(async function () {
    await useBackend('wasm');
  });

  const table = syntheticTable({ rows: 120, discrete: [3, 4], continuous: [3, 2], seed: 21 });

  it('generates rows in layout order, reproducibly, without leaking', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    await trainer.train({ epochs: 1 });

    trainer.generate(1, { rng: new Rng(1), batchSize: 1 }); // uploads the weights once

    const [first, again] = await expectNoLeak(() => [
      trainer.generate(25, { rng: new Rng(3), batchSize: 10 }),
      trainer.generate(25, { rng: new Rng(3), batchSize: 10 }),
    ]);

    assert.equal(first!.rows, 25);
    assert.equal(first!.cols, table.layout.dataDim);
    assert.deepEqual(again, first);
    for (let row = 0; row < 25; row++) {
      for (const span of table.layout.spans) {
        const cells = first!.data.subarray(
          row * first!.cols + span.start,
          row * first!.cols + span.start + span.width,
        );
        if (span.activation === 'tanh')
          assert.ok(cells.every((value) => value >= -1 && value <= 1));
        else
          assert.ok(Math.abs(cells.reduce((sum, value) => sum + value, 0) - 1) < 1e-5, span.column);
      }
    }
    trainer.dispose();
  });

  it('gives generateBatch the rows of generate with a fixed condition', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    const condition = { column: 1, category: 2 };

    const viaGenerate = trainer.generate(6, { rng: new Rng(4), batchSize: 6, condition });
    const viaBatch = await expectNoLeak(() =>
      tf.tidy(() => {
        const rng = new Rng(4);
        const noise = tf.tensor2d(rng.fillGaussian(new Float32Array(6 * SMALL_MODEL.noiseDim)), [
          6,
          SMALL_MODEL.noiseDim,
        ]);
        const hot = new Int32Array(6).fill(table.layout.discrete[1]!.condStart + 2);
        return trainer.generateBatch(noise, hot, rng).dataSync();
      }),
    );

    assertClose(viaBatch, viaGenerate.data, 1e-6, 'rows');
    trainer.dispose();
  });

  it('loads its export on another backend and generates the same rows', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    await trainer.train({ epochs: 1 });
    const exported = structuredClone(trainer.exportGenerator());
    const onWasm = trainer.generate(20, { rng: new Rng(5), batchSize: 8 });
    trainer.dispose();

    await useBackend('cpu');
    const loaded = TrainedGenerator.fromExport(exported);
    const onCpu = loaded.generate(20, { rng: new Rng(5), batchSize: 8 });
    loaded.dispose();
    await useBackend('wasm');

    // Same weights and draws; backends differ only in float32 rounding.
    assertClose(onCpu.data, onWasm.data, 1e-4, 'generated rows');
  });

  it('rejects an export of another format version', function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    const exported = { ...trainer.exportGenerator(), formatVersion: 99 };
    trainer.dispose();

    assert.throws(() => TrainedGenerator.fromExport(exported), {
      name: 'CheckpointError',
      message:
        'generator export has format version 99; this tabsynth reads version 1: ' +
        'retrain or use a matching tabsynth',
    });
  });

  it('trains and generates a table without discrete columns', async function () {
    const numeric = syntheticTable({ rows: 80, discrete: [], continuous: [3, 4], seed: 2 });
    const trainer = new Trainer(numeric.layout, numeric.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    const condLosses: number[] = [];

    await trainer.train({ epochs: 1, onStep: (event) => condLosses.push(event.condLoss) });
    const rows = trainer.generate(10, { rng: new Rng(1), batchSize: 10 });

    assert.equal(numeric.layout.condDim, 0);
    assert.deepEqual(condLosses, [0, 0]);
    assert.equal(rows.rows, 10);
    trainer.dispose();
  });

  it('learns to produce the requested category far more often than chance', async function () {
    this.timeout(60_000);
    // Column `tied` (4 categories) determines `follower` (3 categories): follower = tied mod 3.
    const layout: DataLayout = {
      spans: [
        { start: 0, width: 1, activation: 'tanh', role: 'alpha', column: 'number' },
        { start: 1, width: 2, activation: 'softmax', role: 'mode', column: 'number' },
        { start: 3, width: 4, activation: 'softmax', role: 'category', column: 'tied' },
        { start: 7, width: 3, activation: 'softmax', role: 'category', column: 'follower' },
      ],
      dataDim: 10,
      discrete: [
        { column: 'tied', dataStart: 3, condStart: 0, width: 4 },
        { column: 'follower', dataStart: 7, condStart: 4, width: 3 },
      ],
      condDim: 7,
    };
    const rng = new Rng(12);
    const rows = 800;
    const data = new Float32Array(rows * 10);
    for (let row = 0; row < rows; row++) {
      const tied = skewedCategory(4, 0.55, rng);
      data[row * 10] = 2 * rng.next() - 1;
      data[row * 10 + 1 + (tied % 2)] = 1;
      data[row * 10 + 3 + tied] = 1;
      data[row * 10 + 7 + (tied % 3)] = 1;
    }
    // A learning rate 5x the default so that 200 steps of the small networks suffice.
    const training = smallTraining({
      batchSize: 80,
      seed: 3,
      generatorLr: 1e-3,
      discriminatorLr: 1e-3,
    });
    const trainer = new Trainer(layout, { data, rows, cols: 10 }, { model: SMALL_MODEL, training });
    await trainer.train({ epochs: 20 });

    // Category 3 of `tied` is the rarest (about 7% of rows); an untrained generator gives it
    // about 25% (4 categories). Measured after this training: 80%.
    const generated = trainer.generate(400, {
      rng: new Rng(9),
      batchSize: 200,
      condition: { column: 0, category: 3 },
    });
    trainer.dispose();

    let hits = 0;
    for (let row = 0; row < generated.rows; row++)
      if (argmaxIn(generated, row, 3, 4) === 3) hits += 1;
    assert.ok(hits / generated.rows > 0.6, `only ${hits} of 400 rows carry the requested category`);
  });

  it('learns the rows of a rare mode when modes are conditions', async function () {
    this.timeout(60_000);
    // Mode 1 of `number` holds about 10% of rows, and all its rows have `tied` = 3 (as Adult's
    // rare capital gains are all high incomes); `number`'s modes are a condition, first in the
    // condition vector as they come first in the row.
    const layout: DataLayout = {
      spans: [
        { start: 0, width: 1, activation: 'tanh', role: 'alpha', column: 'number' },
        { start: 1, width: 2, activation: 'softmax', role: 'mode', column: 'number' },
        { start: 3, width: 4, activation: 'softmax', role: 'category', column: 'tied' },
        { start: 7, width: 3, activation: 'softmax', role: 'category', column: 'follower' },
      ],
      dataDim: 10,
      discrete: [
        { column: 'number', dataStart: 1, condStart: 0, width: 2 },
        { column: 'tied', dataStart: 3, condStart: 2, width: 4 },
        { column: 'follower', dataStart: 7, condStart: 6, width: 3 },
      ],
      condDim: 9,
    };
    const rng = new Rng(13);
    const rows = 800;
    const data = new Float32Array(rows * 10);
    for (let row = 0; row < rows; row++) {
      const rare = rng.next() < 0.1;
      const tied = rare ? 3 : skewedCategory(3, 0.5, rng);
      data[row * 10] = 2 * rng.next() - 1;
      data[row * 10 + 1 + (rare ? 1 : 0)] = 1;
      data[row * 10 + 3 + tied] = 1;
      data[row * 10 + 7 + (tied % 3)] = 1;
    }
    const training = smallTraining({
      batchSize: 80,
      seed: 4,
      generatorLr: 1e-3,
      discriminatorLr: 1e-3,
    });
    const trainer = new Trainer(layout, { data, rows, cols: 10 }, { model: SMALL_MODEL, training });
    await trainer.train({ epochs: 40 });

    const generated = trainer.generate(400, {
      rng: new Rng(9),
      batchSize: 200,
      condition: { column: 0, category: 1 },
    });
    trainer.dispose();

    // An untrained generator gives mode 1 to about half the rows and `tied` = 3 to a quarter.
    // Measured after this training: 399 and 322 of 400 (after 20 epochs: 359 and 147).
    let modeHits = 0;
    let tiedHits = 0;
    for (let row = 0; row < generated.rows; row++) {
      if (argmaxIn(generated, row, 1, 2) === 1) modeHits += 1;
      if (argmaxIn(generated, row, 3, 4) === 3) tiedHits += 1;
    }
    assert.ok(modeHits / generated.rows > 0.8, `only ${modeHits} of 400 rows are in mode 1`);
    assert.ok(tiedHits / generated.rows > 0.5, `only ${tiedHits} of 400 rows have tied = 3`);
  });
});
