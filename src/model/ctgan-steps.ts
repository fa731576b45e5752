// The two updates of one CTGAN training step, as the Python reference runs them: the critic's
// (critic loss plus gradient penalty) and the generator's (critic score plus conditional loss).
// Each checks its losses and its new weights before changing anything.
import * as tf from '@tensorflow/tfjs-core';

import { withValues } from '../backend/read-values.ts';
import type { ModelConfig, TrainingConfig } from '../config/schema.ts';
import type { Matrix } from '../transform/layout.ts';
import { TrainingDivergedError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { activate, activateBlocks, splitLogits } from './activations.ts';
import type { Adam } from './adam.ts';
import type { ConditionBatch, ConditionSampler } from './condition-sampler.ts';
import type { Discriminator } from './discriminator.ts';
import type { Generator } from './generator.ts';
import { concatInputs, type CriticInput, oneHotTerms } from './critic-input.ts';
import { conditionalLoss, criticLoss, gradientPenalty } from './losses.ts';
import type { OutputPlan } from './output-plan.ts';
import { gaussianNoise, gumbelBlocks } from './random-draws.ts';

/** The random streams of training, one per purpose, each forked from the seed's root Rng. */
export interface TrainingRngs {
  /** Real rows within a category. */
  rows: Rng;
  /** Condition columns and categories, and the shuffle of the real rows' conditions. */
  conditions: Rng;
  /** Generator noise. */
  noise: Rng;
  /** Discriminator dropout masks. */
  dropout: Rng;
  /** Gumbel noise of the softmax spans. */
  gumbel: Rng;
  /** Gradient-penalty interpolation weights. */
  interpolation: Rng;
}

/** Everything a training step works on. */
export interface CtganParts {
  plan: OutputPlan;
  sampler: ConditionSampler;
  /** Training rows [rows, dataDim] in the plan's internal column order. */
  data: Matrix;
  generator: Generator;
  discriminator: Discriminator;
  generatorOptimizer: Adam;
  discriminatorOptimizer: Adam;
  rngs: TrainingRngs;
  model: ModelConfig;
  training: TrainingConfig;
}

/** Losses of a critic update. */
export interface CriticLosses {
  /** -(mean D(real) - mean D(fake)). */
  discriminatorLoss: number;
  gradientPenalty: number;
}

/** Losses of a generator update. */
export interface GeneratorLosses {
  /** -mean D(fake) + condLoss. */
  generatorLoss: number;
  condLoss: number;
}

/**
 * One critic update.
 * @param where 'epoch E, step S', for the divergence message
 * @throws TrainingDivergedError when a loss or an updated weight is not finite (nothing changed)
 */
export function criticUpdate(parts: CtganParts, where: string): CriticLosses {
  const { sampler, generator, discriminator, rngs, model, training } = parts;
  const batch = training.batchSize;

  const noise = gaussianNoise(rngs.noise, batch, model.noiseDim); // [batch, noiseDim]
  const conditions = sampler.sampleTraining(batch, rngs.conditions);
  const real = drawRealRows(parts, conditions, batch);
  const kept: tf.Tensor[] = [noise, real.data];
  try {
    const hot = conditions?.hot ?? null;
    const fakeData = track(
      kept,
      tf.tidy(() => fakeRows(parts, noise, hot)),
    ); // [batch, dataDim]
    const fake = { data: fakeData, conditions: hot === null ? null : oneHotTerms(hot) };

    let lossTensor: tf.Scalar | null = null;
    let penaltyTensor: tf.Scalar | null = null;
    const { value, grads } = tf.valueAndGrads(() => {
      const { loss, penalty } = criticObjective(parts, fake, real);
      lossTensor = track(kept, tf.keep(loss));
      penaltyTensor = track(kept, tf.keep(penalty));
      return tf.add(loss, penalty) as tf.Scalar;
    })(discriminator.parameters().tensors());
    kept.push(value, ...grads);

    const losses = {
      discriminatorLoss: scalar(lossTensor!),
      gradientPenalty: scalar(penaltyTensor!),
    };
    if (!Number.isFinite(losses.discriminatorLoss) || !Number.isFinite(losses.gradientPenalty)) {
      throw diverged(
        where,
        `discriminator loss ${losses.discriminatorLoss}, ` +
          `gradient penalty ${losses.gradientPenalty}`,
      );
    }
    if (!withValues(grads, (values) => parts.discriminatorOptimizer.apply(values))) {
      throw diverged(where, 'the discriminator update would make a weight non-finite');
    }
    generator.commitStatistics();
    return losses;
  } finally {
    generator.discardStatistics();
    tf.dispose(kept);
  }
}

/**
 * The critic's loss and gradient penalty on one batch, differentiable in its weights.
 * @param fake batch generated rows with their conditions
 * @param real batch real rows with their conditions
 */
function criticObjective(
  parts: CtganParts,
  fake: CriticInput,
  real: CriticInput,
): { loss: tf.Scalar; penalty: tf.Scalar } {
  const { discriminator, rngs, model, training } = parts;
  const packs = real.data.shape[0] / model.pac;
  // One critic pass over fake and real rows together: half the ops, and a product with twice
  // the rows runs closer to XNNPACK's peak. Packs never mix the two halves.
  const both = concatInputs(fake, real); // 2 batch rows
  const scores = discriminator.apply(both, rngs.dropout); // [2 packs, 1]: fake, then real
  const fakeScores = tf.slice(scores, [0, 0], [packs, 1]);
  const realScores = tf.slice(scores, [packs, 0], [packs, 1]);
  const loss = criticLoss(realScores, fakeScores);

  const packWeights = rngs.interpolation.fillUniform(new Float32Array(packs));
  const inputGradient = (mixed: CriticInput): tf.Tensor2D =>
    discriminator.inputGradient(mixed, rngs.dropout);
  const penalty = gradientPenalty(
    inputGradient,
    real,
    fake,
    packWeights,
    model.pac,
    training.gradientPenalty,
  );
  return { loss, penalty };
}

/**
 * One generator update.
 * @param where 'epoch E, step S', for the divergence message
 * @throws TrainingDivergedError when a loss or an updated weight is not finite (nothing changed)
 */
export function generatorUpdate(parts: CtganParts, where: string): GeneratorLosses {
  const { plan, sampler, generator, discriminator, rngs, model, training } = parts;
  const batch = training.batchSize;

  const noise = gaussianNoise(rngs.noise, batch, model.noiseDim); // [batch, noiseDim]
  const conditions = sampler.sampleTraining(batch, rngs.conditions);
  const kept: tf.Tensor[] = [noise];
  try {
    const condTargets = conditions === null ? null : conditionTargets(plan, conditions);
    if (condTargets !== null) kept.push(condTargets.target, condTargets.spanMask);

    let condTensor: tf.Scalar | null = null;
    const { value, grads } = tf.valueAndGrads(() => {
      const logits = generator.applyTraining(noise, conditions?.hot ?? null); // [batch, logitWidth]
      const blocks = splitLogits(logits, plan);
      const gumbel = gumbelBlocks(rngs.gumbel, batch, plan);
      const activated = activateBlocks(blocks, gumbel, plan, model.gumbelTau);
      const fake: CriticInput = {
        data: activated, // [batch, dataDim]
        conditions: conditions === null ? null : oneHotTerms(conditions.hot),
      };
      const adversarial = tf.neg(tf.mean(discriminator.apply(fake, rngs.dropout)));
      if (condTargets === null) return adversarial as tf.Scalar;
      const condLoss = conditionalLoss(
        blocks.discrete!,
        condTargets.target,
        condTargets.spanMask,
        plan,
      );
      condTensor = track(kept, tf.keep(condLoss));
      return tf.add(adversarial, condLoss) as tf.Scalar;
    })(generator.parameters().tensors());
    kept.push(value, ...grads);

    const losses = {
      generatorLoss: scalar(value),
      condLoss: condTensor === null ? 0 : scalar(condTensor),
    };
    if (!Number.isFinite(losses.generatorLoss) || !Number.isFinite(losses.condLoss)) {
      throw diverged(
        where,
        `generator loss ${losses.generatorLoss}, conditional loss ${losses.condLoss}`,
      );
    }
    if (!withValues(grads, (values) => parts.generatorOptimizer.apply(values))) {
      throw diverged(where, 'the generator update would make a weight non-finite');
    }
    generator.commitStatistics();
    return losses;
  } finally {
    generator.discardStatistics();
    tf.dispose(kept);
  }
}

/**
 * Real rows with their conditions, as the reference pairs them: the batch's conditions are
 * shuffled, and row i is drawn for the i-th shuffled condition and carries it.
 * @returns data [batch, dataDim] in internal column order, with the rows' conditions
 */
function drawRealRows(
  parts: CtganParts,
  conditions: ConditionBatch | null,
  batch: number,
): CriticInput {
  const { data, sampler, rngs } = parts;
  const rows = new Float32Array(batch * data.cols);
  let ids: Int32Array;
  let hot: Int32Array | null = null;
  if (conditions === null) {
    ids = sampler.sampleAnyRows(batch, rngs.rows);
  } else {
    const order = rngs.conditions.shuffle(Array.from({ length: batch }, (_, i) => i));
    const columns = Int32Array.from(order, (i) => conditions.columns[i]!);
    const categories = Int32Array.from(order, (i) => conditions.categories[i]!);
    ids = sampler.sampleRows(columns, categories, rngs.rows);
    hot = Int32Array.from(order, (i) => conditions.hot[i]!);
  }
  ids.forEach((id, row) => {
    rows.set(data.data.subarray(id * data.cols, (id + 1) * data.cols), row * data.cols);
  });
  return {
    data: tf.tensor2d(rows, [batch, data.cols]),
    conditions: hot === null ? null : oneHotTerms(hot),
  };
}

/**
 * Generated rows, generator in training mode.
 * @param hot the conditions as positions (ConditionBatch.hot), null without conditions
 * @returns [batch, dataDim]
 */
function fakeRows(parts: CtganParts, noise: tf.Tensor2D, hot: Int32Array | null): tf.Tensor2D {
  const { plan, generator, rngs, model } = parts;
  const logits = generator.applyTraining(noise, hot); // [batch, logitWidth]
  const gumbel = gumbelBlocks(rngs.gumbel, noise.shape[0], plan);
  return activate(logits, gumbel, plan, model.gumbelTau);
}

/**
 * The conditional loss's one-hot target and span mask in the discrete block's coordinates.
 * @returns target, spanMask: [batch, discreteWidth] each
 */
function conditionTargets(
  plan: OutputPlan,
  conditions: ConditionBatch,
): { target: tf.Tensor2D; spanMask: tf.Tensor2D } {
  const batch = conditions.columns.length;
  const width = plan.discreteWidth;
  const target = new Float32Array(batch * width);
  const spanMask = new Float32Array(batch * width);
  for (let row = 0; row < batch; row++) {
    const column = conditions.columns[row]!;
    const start = row * width + plan.discreteStarts[column]! - plan.tanhWidth;
    spanMask.fill(1, start, start + plan.layout.discrete[column]!.width);
    target[start + conditions.categories[row]!] = 1;
  }
  return {
    target: tf.tensor2d(target, [batch, width]),
    spanMask: tf.tensor2d(spanMask, [batch, width]),
  };
}

function track<T extends tf.Tensor>(kept: tf.Tensor[], tensor: T): T {
  kept.push(tensor);
  return tensor;
}

function scalar(tensor: tf.Tensor): number {
  return tensor.dataSync()[0]!;
}

function diverged(where: string, what: string): TrainingDivergedError {
  return new TrainingDivergedError(
    `training diverged at ${where}: ${what}; the weights were left as before this update. ` +
      'Lower training.generatorLr / training.discriminatorLr, check the data for extreme ' +
      'values, or resume from an earlier checkpoint.',
  );
}
