// Tests of the Trainer: config checks, progress events, bit-identical determinism on wasm and
// cpu, no tensor leaks across epochs, exact resumption from a saved state, and divergence.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { type StepEvent, Trainer } from '../../src/model/trainer.ts';
import type { TrainerState } from '../../src/model/trainer-state.ts';
import { TrainingDivergedError } from '../../src/util/errors.ts';
import { useBackend } from '../backend/helpers.ts';
import { SMALL_MODEL, smallTraining } from './small-config.ts';
import { syntheticTable } from './synthetic-table.ts';

// 120 rows / batch 40 = 3 steps per epoch.
const table = syntheticTable({ rows: 120, discrete: [3, 4], continuous: [3, 2], seed: 21 });

function weightsOf(state: TrainerState): Map<string, Float32Array> {
  return new Map(state.arrays.map((entry) => [entry.name, entry.values]));
}

function assertSameArrays(actual: TrainerState, expected: TrainerState): void {
  const expectedArrays = weightsOf(expected);
  assert.deepEqual([...weightsOf(actual).keys()], [...expectedArrays.keys()]);
  for (const [name, values] of weightsOf(actual)) {
    assert.ok(
      Buffer.from(values.buffer).equals(Buffer.from(expectedArrays.get(name)!.buffer)),
      `${name} differs`,
    );
  }
}

describe('Trainer', function () {
  before(async function () {
    await useBackend('wasm');
  });

  it('rejects a batch size that is not a multiple of pac, naming both keys', function () {
    assert.throws(
      () =>
        new Trainer(table.layout, table.data, {
          model: SMALL_MODEL,
          training: smallTraining({ batchSize: 42 }),
        }),
      {
        name: 'ConfigError',
        message: 'training.batchSize (42) must be a positive multiple of model.pac (4), e.g. 44',
      },
    );
  });

  it('reports every step and every epoch with finite losses', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    const steps: StepEvent[] = [];
    const epochs: number[] = [];

    const result = await trainer.train({
      onStep: (event) => steps.push(event),
      onEpoch: (record) => epochs.push(record.epoch),
    });

    assert.deepEqual(result, { epoch: 2, stepInEpoch: 0, stopped: false });
    assert.equal(trainer.stepsPerEpoch, 3);
    assert.deepEqual(
      steps.map((event) => [event.epoch, event.step, event.stepsPerEpoch]),
      [
        [1, 1, 3],
        [1, 2, 3],
        [1, 3, 3],
        [2, 1, 3],
        [2, 2, 3],
        [2, 3, 3],
      ],
    );
    for (const event of steps) {
      for (const key of [
        'generatorLoss',
        'discriminatorLoss',
        'gradientPenalty',
        'condLoss',
        'msPerStep',
        'rowsPerSecond',
      ] as const) {
        assert.ok(Number.isFinite(event[key]), `${key} = ${event[key]}`);
      }
      assert.ok(event.condLoss > 0, 'conditional loss of a table with discrete columns');
    }
    assert.deepEqual(epochs, [1, 2]);
    assert.equal(trainer.history.length, 2);
    const first = steps.slice(0, 3);
    const meanGenerator = first.reduce((sum, event) => sum + event.generatorLoss, 0) / 3;
    assert.ok(Math.abs(trainer.history[0]!.generatorLoss - meanGenerator) < 1e-12);
    trainer.dispose();
  });

  it('stops between steps when asked and says so', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    let steps = 0;

    const result = await trainer.train({
      onStep: () => (steps += 1),
      shouldStop: () => steps === 4,
    });

    assert.deepEqual(result, { epoch: 1, stepInEpoch: 1, stopped: true });
    trainer.dispose();
  });

  it('runs training.discriminatorSteps critic updates per generator update', async function () {
    const training = smallTraining({ discriminatorSteps: 3 });
    const trainer = new Trainer(table.layout, table.data, { model: SMALL_MODEL, training });

    await trainer.trainEpoch();

    const { progress } = trainer.getState();
    assert.equal(progress.generatorUpdates, 3);
    assert.equal(progress.discriminatorUpdates, 9);
    trainer.dispose();
  });

  it('leaks no tensor: the count after epoch 1 equals the count after epoch 3', async function () {
    const trainer = new Trainer(table.layout, table.data, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });

    await trainer.trainEpoch();
    const afterFirst = tf.memory().numTensors;
    await trainer.trainEpoch();
    await trainer.trainEpoch();

    assert.equal(tf.memory().numTensors, afterFirst);
    const before = tf.memory().numTensors;
    trainer.dispose();
    assert.ok(tf.memory().numTensors < before, 'dispose frees the device copies');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives bit-identical weights for the same seed on ${backend}`, async function () {
      await useBackend(backend);
      const run = async (seed: number): Promise<TrainerState> => {
        const trainer = new Trainer(table.layout, table.data, {
          model: SMALL_MODEL,
          training: smallTraining({ seed }),
        });
        await trainer.train({ epochs: 1 });
        const state = trainer.getState();
        trainer.dispose();
        return state;
      };

      const first = await run(7);
      const again = await run(7);
      const other = await run(8);

      assertSameArrays(again, first);
      assert.notDeepEqual(
        weightsOf(other).get('generator.output.weight'),
        weightsOf(first).get('generator.output.weight'),
      );
      await useBackend('wasm');
    });
  }

  it('continues exactly from a saved state, also from the middle of an epoch', async function () {
    const config = { model: SMALL_MODEL, training: smallTraining() };
    const straight = new Trainer(table.layout, table.data, config);
    await straight.train({ epochs: 4 });
    const expected = straight.getState();
    straight.dispose();

    const interrupted = new Trainer(table.layout, table.data, config);
    let steps = 0;
    await interrupted.train({
      epochs: 4,
      onStep: () => (steps += 1),
      shouldStop: () => steps === 5,
    });
    const saved = interrupted.getState();
    interrupted.dispose();
    const resumed = Trainer.fromState(table.layout, table.data, config, saved);
    assert.equal(resumed.epoch, 1);
    assert.equal(resumed.stepInEpoch, 2);
    await resumed.train({ epochs: 4 });
    const actual = resumed.getState();
    resumed.dispose();

    assertSameArrays(actual, expected);
    assert.deepEqual(actual.progress.rngs, expected.progress.rngs);
    const losses = (state: TrainerState) =>
      state.progress.history.map(({ seconds, ...rest }) => (void seconds, rest));
    assert.deepEqual(losses(actual), losses(expected));
  });

  it('samples the weight average, or the last weights when the decay is 0', async function () {
    const exported = async (generatorAverageDecay: number) => {
      const trainer = new Trainer(table.layout, table.data, {
        model: SMALL_MODEL,
        training: smallTraining({ generatorAverageDecay }),
      });
      await trainer.train();
      const weights = weightsOf({ arrays: trainer.exportGenerator().weights, progress: null! });
      const state = weightsOf(trainer.getState());
      trainer.dispose();
      return { weights, state };
    };

    const last = await exported(0);
    const averaged = await exported(0.999);

    const name = 'generator.output.weight';
    assert.deepEqual(last.weights.get(name), last.state.get(name));
    assert.ok(![...last.state.keys()].some((key) => key.startsWith('average.')));
    assert.deepEqual(averaged.weights.get(name), averaged.state.get(`average.${name}`));
    assert.deepEqual(
      averaged.weights.get('generator.block0.norm.movingMean'),
      averaged.state.get('average.generator.block0.norm.movingMean'),
    );
    // Both runs take the same steps; only what is sampled differs.
    assert.deepEqual(averaged.state.get(name), last.state.get(name));
    assert.notDeepEqual(averaged.weights.get(name), last.weights.get(name));
  });

  it('starts the weight average at the restored weights if the state has none', async function () {
    const off = { model: SMALL_MODEL, training: smallTraining({ generatorAverageDecay: 0 }) };
    const trainer = new Trainer(table.layout, table.data, off);
    await trainer.trainEpoch();
    const state = trainer.getState();
    trainer.dispose();

    const on = { ...off, training: smallTraining({ generatorAverageDecay: 0.999 }) };
    const resumed = Trainer.fromState(table.layout, table.data, on, state);
    const resumedState = resumed.getState();
    resumed.dispose();

    const name = 'generator.block1.linear.weight';
    assert.deepEqual(weightsOf(resumedState).get(`average.${name}`), weightsOf(state).get(name));
    assert.equal(resumedState.progress.averageUpdates, 0);
  });

  it('refuses a state taken with another number of steps per epoch', function () {
    const config = { model: SMALL_MODEL, training: smallTraining() };
    const trainer = new Trainer(table.layout, table.data, config);
    const state = trainer.getState();
    trainer.dispose();

    assert.throws(
      () =>
        Trainer.fromState(
          table.layout,
          table.data,
          { ...config, training: smallTraining({ batchSize: 20 }) },
          state,
        ),
      {
        name: 'CheckpointError',
        message:
          'checkpoint was taken with 3 steps per epoch, this data and training.batchSize give 6: ' +
          'resume with the same data and batch size',
      },
    );
  });

  it('stops on a NaN in the data and leaves the weights untouched', async function () {
    const poisoned = { ...table.data, data: table.data.data.slice() };
    poisoned.data.fill(Number.NaN, 0, 120 * table.layout.dataDim); // every row
    const trainer = new Trainer(table.layout, poisoned, {
      model: SMALL_MODEL,
      training: smallTraining(),
    });
    const initial = trainer.getState();

    await assert.rejects(trainer.train(), (error: unknown) => {
      assert.ok(error instanceof TrainingDivergedError);
      assert.match(error.message, /^training diverged at epoch 1, step 1: discriminator loss NaN/);
      return true;
    });

    assertSameArrays(trainer.getState(), initial);
    trainer.dispose();
  });

  it('stops under a huge learning rate and keeps every weight finite', async function () {
    const training = smallTraining({ generatorLr: 1e30, discriminatorLr: 1e30, epochs: 20 });
    const trainer = new Trainer(table.layout, table.data, { model: SMALL_MODEL, training });

    await assert.rejects(trainer.train(), TrainingDivergedError);

    for (const entry of trainer.getState().arrays) {
      assert.ok(entry.values.every(Number.isFinite), `${entry.name} is finite`);
    }
    trainer.dispose();
  });
});
