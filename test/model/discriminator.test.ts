// Tests of the PacGAN discriminator: pack shapes, input checks, dropout drawn from the Rng, and
// the split first layer against the plain network of its state arrays (scores, input gradient,
// penalty gradients), and the state arrays' joined form.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { type CriticInput, interpolateInputs, oneHotTerms } from '../../src/model/critic-input.ts';
import { Discriminator, type DiscriminatorDims } from '../../src/model/discriminator.ts';
import { gradientPenalty } from '../../src/model/losses.ts';
import { dropoutMask } from '../../src/model/random-draws.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, expectNoLeak, seededTensor, useBackend } from '../backend/helpers.ts';
import { denseCritic, denseInputGradient, denseRows, tensorsByName } from './critic-helpers.ts';

/** `batch` rows of seeded data and a one-hot condition per row (positions seeded too). */
function seededInput(dims: DiscriminatorDims, batch: number, seed: number): CriticInput {
  const rng = new Rng(seed);
  const positions = Int32Array.from({ length: batch }, () => rng.int(dims.condDim));
  return {
    data: seededTensor([batch, dims.dataDim], seed) as tf.Tensor2D,
    conditions: dims.condDim === 0 ? null : oneHotTerms(positions),
  };
}

describe('Discriminator', function () {
  before(async function () {
    await useBackend('wasm');
  });

  const dims: DiscriminatorDims = {
    dataDim: 4,
    condDim: 3,
    pac: 4,
    discriminatorDims: [16, 8],
    leakySlope: 0.2,
    dropout: 0.5,
  };

  it('scores one value per pack of pac rows', async function () {
    const shape = await expectNoLeak(() => {
      const critic = new Discriminator(dims, new Rng(1));
      const input = seededInput(dims, 12, 2);
      const scores = tf.tidy(() => critic.apply(input, new Rng(3)).shape);
      input.data.dispose();
      critic.dispose();
      return scores;
    });

    assert.deepEqual(shape, [3, 1]);
  });

  it('gives the same scores for the same dropout seed and others for another', async function () {
    await expectNoLeak(() => {
      const critic = new Discriminator(dims, new Rng(1));
      const input = seededInput(dims, 8, 2);
      const score = (rng: Rng | null): Float32Array =>
        tf.tidy(() => critic.apply(input, rng).dataSync() as Float32Array);

      const first = score(new Rng(5));
      const again = score(new Rng(5));
      const other = score(new Rng(6));
      const withoutDropout = score(null);

      assertClose(again, first, 0, 'same seed');
      assert.notDeepEqual(other, first);
      assert.notDeepEqual(withoutDropout, first);
      input.data.dispose();
      critic.dispose();
    });
  });

  it('rejects a batch that is not a multiple of pac, or conditions of another batch', function () {
    const critic = new Discriminator(dims, new Rng(1));
    const ten = {
      data: tf.zeros([10, 4]) as tf.Tensor2D,
      conditions: oneHotTerms(new Int32Array(10)),
    };
    const eight = {
      data: tf.zeros([8, 4]) as tf.Tensor2D,
      conditions: oneHotTerms(new Int32Array(4)),
    };

    assert.throws(() => tf.tidy(() => critic.apply(ten, null)), {
      name: 'ShapeMismatchError',
      message: 'critic input (3 condition columns): expected shape [k * 4, 4], got [10, 4]',
    });
    assert.throws(() => tf.tidy(() => critic.apply(eight, null)), {
      name: 'ShapeMismatchError',
      message: 'critic condition positions (1 per row): expected shape [8], got [4]',
    });
    tf.dispose([ten.data, eight.data]);
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

describe('Discriminator against the plain network of its state arrays', function () {
  const dims: DiscriminatorDims = {
    dataDim: 5,
    condDim: 4,
    pac: 3,
    discriminatorDims: [7, 6],
    leakySlope: 0.2,
    dropout: 0,
  };

  /** Interpolated real and fake rows: two weighted condition entries per row. */
  function mixedInput(batch: number): CriticInput {
    let conditions: CriticInput['conditions'] = null;
    const data = tf.tidy(() => {
      const real = seededInput(dims, batch, 11);
      const fake = seededInput(dims, batch, 12);
      const packWeights = Float32Array.from({ length: batch / dims.pac }, (_, i) => (i + 0.5) / 3);
      const mixed = interpolateInputs(real, fake, packWeights, dims.pac);
      conditions = mixed.conditions;
      return mixed.data;
    });
    return { data, conditions };
  }

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`scores and input gradients match it on ${backend}`, async function () {
      await useBackend(backend);
      await expectNoLeak(() => {
        const critic = new Discriminator(dims, new Rng(4));
        const weights = tensorsByName(critic.toStateArrays(critic.parameters().toArrays()));
        const dense = denseCritic(weights, dims);
        const input = mixedInput(9);

        const [scores, expected, gradient, expectedGradient] = tf.tidy(() => [
          critic.apply(input, null).dataSync(),
          dense(denseRows(input, dims.condDim)).dataSync(),
          tf.norm(critic.inputGradient(input, null), 'euclidean', 1).dataSync(),
          tf
            .norm(denseInputGradient(dense, dims.pac, dims.condDim)(input), 'euclidean', 1)
            .dataSync(),
        ]);

        assertClose(scores!, expected!, 1e-5, 'scores');
        assertClose(gradient!, expectedGradient!, 1e-5, 'input gradient norms per pack');
        assert.ok(expectedGradient!.every((norm) => norm > 0.01));
        tf.dispose([input.data, ...weights.values()]);
        critic.dispose();
      });
      await useBackend('wasm');
    });
  }

  it('has the plain network penalty gradients for every weight', async function () {
    await useBackend('wasm');
    await expectNoLeak(() => {
      const critic = new Discriminator(dims, new Rng(5));
      const arrays = critic.toStateArrays(critic.parameters().toArrays());
      const names = arrays.map((entry) => entry.name);
      const weights = tensorsByName(arrays);
      const real = seededInput(dims, 6, 21);
      const fake = seededInput(dims, 6, 22);
      const packWeights = Float32Array.from([0.3, 0.8]);

      // The penalty plus the scores of the real rows, so that every weight takes part (the
      // penalty alone does not depend on the first bias).
      const objective = (
        inputGradient: (mixed: CriticInput) => tf.Tensor2D,
        scores: (input: CriticInput) => tf.Tensor,
      ): tf.Scalar =>
        tf.add(
          gradientPenalty(inputGradient, real, fake, packWeights, dims.pac, 10),
          tf.sum(scores(real)),
        ) as tf.Scalar;
      const splitGrads = tf.tidy(
        () =>
          tf.valueAndGrads(() =>
            objective(
              (mixed) => critic.inputGradient(mixed, null),
              (input) => critic.apply(input, null),
            ),
          )(critic.parameters().tensors()).grads,
      );
      const split = critic.toStateArrays(
        critic.parameters().parameters.map((parameter, index) => ({
          name: parameter.name,
          shape: parameter.shape,
          values: splitGrads[index]!.dataSync() as Float32Array,
        })),
      );
      const plain = tf.tidy(() => {
        const { grads } = tf.valueAndGrads((...tensors: tf.Tensor[]) => {
          const dense = denseCritic(new Map(names.map((name, i) => [name, tensors[i]!])), dims);
          return objective(denseInputGradient(dense, dims.pac, dims.condDim), (input) =>
            dense(denseRows(input, dims.condDim)),
          );
        })(names.map((name) => weights.get(name)!));
        return grads.map((grad) => grad.dataSync() as Float32Array);
      });
      tf.dispose(splitGrads);

      assert.deepEqual(
        split.map((entry) => entry.name),
        names,
      );
      split.forEach((entry, index) => assertClose(entry.values, plain[index]!, 1e-4, entry.name));
      assert.ok(
        plain[0]!.some((value) => Math.abs(value) > 1e-3),
        'first weight moves',
      );
      tf.dispose([real.data, fake.data, ...weights.values()]);
      critic.dispose();
    });
  });

  it('stores the first weight joined and reads it back split', function () {
    const critic = new Discriminator(dims, new Rng(6));
    const split = critic.parameters().toArrays();
    const moments = split.map((entry) => ({ ...entry, name: `adam.d.m.${entry.name}` }));

    const joined = critic.toStateArrays([...split, ...moments]);
    const first = joined.find((entry) => entry.name === 'discriminator.hidden0.weight')!;
    const back = critic.fromStateArrays(joined);

    assert.deepEqual(first.shape, [3 * (5 + 4), 7]);
    assert.ok(joined.some((entry) => entry.name === 'adam.d.m.discriminator.hidden0.weight'));
    // Pack row 1's condition column 2 is joined row 9 + 5 + 2 and condition-part row 4 + 2.
    const conditionPart = split.find((entry) => entry.name.endsWith('conditionWeight'))!;
    assertClose(
      first.values.subarray(16 * 7, 17 * 7),
      conditionPart.values.subarray(6 * 7, 7 * 7),
      0,
      'joined row 16',
    );
    assert.deepEqual(back, [...split, ...moments]);
    assert.throws(
      () => critic.fromStateArrays([{ ...first, shape: [26, 7], values: new Float32Array(182) }]),
      {
        name: 'ShapeMismatchError',
        message: 'discriminator.hidden0.weight: expected shape [27, 7], got [26, 7]',
      },
    );
    critic.dispose();
  });

  it('keeps one plain first weight for a table without conditions', function () {
    const critic = new Discriminator({ ...dims, condDim: 0 }, new Rng(6));
    const arrays = critic.parameters().toArrays();

    assert.deepEqual(arrays[0]!.name, 'discriminator.hidden0.weight');
    assert.deepEqual(arrays[0]!.shape, [15, 7]);
    assert.deepEqual(critic.toStateArrays(arrays), arrays);
    assert.deepEqual(critic.fromStateArrays(arrays), arrays);
    critic.dispose();
  });
});

describe('Discriminator gradient penalty', function () {
  // Two packs of 4 rows (3 data columns, 2 condition columns); the weights stay away from
  // anything special.
  const dimsForPenalty: DiscriminatorDims = {
    dataDim: 3,
    condDim: 2,
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
      const real = seededInput(dimsForPenalty, 8, 6);
      const fake = seededInput(dimsForPenalty, 8, 7);
      const packWeights = Float32Array.from([0.3, 0.8]);
      const penalty = (): tf.Scalar =>
        gradientPenalty(
          (mixed) => critic.inputGradient(mixed, null),
          real,
          fake,
          packWeights,
          4,
          10,
        );

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
      tf.dispose([real.data, fake.data]);
      critic.dispose();
      await useBackend('wasm');
    });
  }
});
