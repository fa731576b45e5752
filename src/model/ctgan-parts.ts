// Builds everything a CTGAN training step works on from a layout, the transformed data and the
// config: networks with seeded initial weights, optimizers, condition sampler, random streams.
import type { ModelConfig, TrainingConfig } from '../config/schema.ts';
import type { DataLayout, Matrix } from '../transform/layout.ts';
import { ConfigError, ShapeMismatchError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { Adam, type AdamSettings } from './adam.ts';
import { ConditionSampler } from './condition-sampler.ts';
import type { CtganParts, TrainingRngs } from './ctgan-steps.ts';
import { Discriminator } from './discriminator.ts';
import { Generator } from './generator.ts';
import { OutputPlan } from './output-plan.ts';
import { generatorDims } from './trained-generator.ts';
import { RNG_PURPOSES } from './trainer-state.ts';

/** The config sections training reads. */
export interface TrainerConfig {
  model: ModelConfig;
  training: TrainingConfig;
}

/**
 * Checks the config and data, then builds the parts. Random streams: one root Rng from
 * training.seed forks 'weights' (initial weights: generator, then discriminator) and then one
 * stream per purpose of RNG_PURPOSES, in that order.
 * @param data [rows, dataDim] in the layout's order (copied into the model's column order)
 * @throws ConfigError when training.batchSize is not a positive multiple of model.pac, or
 *   another setting the step depends on is out of range
 * @throws ShapeMismatchError when data does not match the layout
 */
export function buildCtganParts(
  layout: DataLayout,
  data: Matrix,
  config: TrainerConfig,
): CtganParts {
  const { model, training } = config;
  validateConfig(model, training);
  if (data.rows < 1 || data.cols !== layout.dataDim || data.data.length !== data.rows * data.cols) {
    throw new ShapeMismatchError('training data', `[rows >= 1, ${layout.dataDim}]`, [
      data.rows,
      data.cols,
    ]);
  }

  const root = new Rng(training.seed);
  const weightsRng = root.fork('weights');
  const rngs = Object.fromEntries(RNG_PURPOSES.map((purpose) => [purpose, root.fork(purpose)]));
  const plan = new OutputPlan(layout);
  const generator = new Generator(generatorDims(model, layout), weightsRng);
  const discriminator = new Discriminator(
    {
      dataDim: layout.dataDim,
      condDim: layout.condDim,
      pac: model.pac,
      discriminatorDims: [...model.discriminatorDims],
      leakySlope: model.leakySlope,
      dropout: model.dropout,
    },
    weightsRng,
  );
  const [beta1, beta2] = training.betas;
  const settings = (learningRate: number, weightDecay: number): AdamSettings => ({
    learningRate,
    beta1,
    beta2,
    epsilon: 1e-8, // PyTorch's default
    weightDecay,
  });
  return {
    plan,
    sampler: ConditionSampler.fromData(layout, data),
    data: plan.toInternal(data),
    generator,
    discriminator,
    generatorOptimizer: new Adam(
      generator.parameters(),
      settings(training.generatorLr, training.generatorDecay),
      'adam.generator',
    ),
    discriminatorOptimizer: new Adam(
      discriminator.parameters(),
      settings(training.discriminatorLr, training.discriminatorDecay),
      'adam.discriminator',
    ),
    rngs: rngs as unknown as TrainingRngs,
    model,
    training,
  };
}

/**
 * Checks the settings a training step depends on.
 * @throws ConfigError naming the keys involved
 */
function validateConfig(model: ModelConfig, training: TrainingConfig): void {
  const { batchSize } = training;
  if (!Number.isInteger(model.pac) || model.pac < 1) {
    throw new ConfigError(`model.pac must be a whole number >= 1, got ${model.pac}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < model.pac || batchSize % model.pac !== 0) {
    const suggestion = Math.max(model.pac, Math.round(batchSize / model.pac) * model.pac);
    throw new ConfigError(
      `training.batchSize (${batchSize}) must be a positive multiple of ` +
        `model.pac (${model.pac}), e.g. ${suggestion}`,
    );
  }
  const { discriminatorSteps } = training;
  if (!Number.isInteger(discriminatorSteps) || discriminatorSteps < 1) {
    throw new ConfigError(
      `training.discriminatorSteps must be a whole number >= 1, got ${discriminatorSteps}`,
    );
  }
  if (!(model.dropout >= 0 && model.dropout < 1)) {
    throw new ConfigError(`model.dropout must be in [0, 1), got ${model.dropout}`);
  }
}
