// The CTGAN trainer: builds the networks, optimizers and condition sampler from a layout, the
// transformed data and the config, runs training step by step (yielding to the event loop in
// between, so that signals are handled), reports progress, and saves and restores its state.
import * as tf from '@tensorflow/tfjs-core';

import { registerGradients } from '../backend/gradients/index.ts';
import type { DataLayout, Matrix } from '../transform/layout.ts';
import { CheckpointError, ShapeMismatchError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { buildCtganParts, type TrainerConfig } from './ctgan-parts.ts';
import { type CtganParts, criticUpdate, generatorUpdate } from './ctgan-steps.ts';
import { Generator } from './generator.ts';
import {
  type GenerateOptions,
  type GeneratorExport,
  generatorDims,
  TrainedGenerator,
} from './trained-generator.ts';
import {
  emptyEpochSums,
  type EpochRecord,
  type EpochSums,
  RNG_PURPOSES,
  TRAINER_STATE_VERSION,
  type TrainerState,
} from './trainer-state.ts';
import { AVERAGE_PREFIX, WeightAverage } from './weight-average.ts';

export type { TrainerConfig } from './ctgan-parts.ts';

/** Losses of one training step (of its last critic update, for the critic's). */
export interface StepLosses {
  generatorLoss: number;
  discriminatorLoss: number;
  gradientPenalty: number;
  condLoss: number;
}

/** Progress after a step. */
export interface StepEvent extends StepLosses {
  /** 1-based epoch the step belongs to. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  msPerStep: number;
  rowsPerSecond: number;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Train until this many epochs are finished in total. Default: training.epochs. */
  epochs?: number;
  onStep?: (event: StepEvent) => void;
  onEpoch?: (record: EpochRecord) => void;
  /** Asked before each step; true stops training there (mid-epoch is fine). */
  shouldStop?: () => boolean;
}

/** How `train` ended. */
export interface TrainResult {
  /** Finished epochs. */
  epoch: number;
  stepInEpoch: number;
  /** True when shouldStop ended training early. */
  stopped: boolean;
}

/** Trains a CTGAN. Owns tensors: call dispose() when done. */
export class Trainer {
  /** Steps per epoch: max(1, floor(rows / batchSize)). */
  readonly stepsPerEpoch: number;
  private readonly parts: CtganParts;
  private finishedEpochs = 0;
  private stepsInEpoch = 0;
  private readonly records: EpochRecord[] = [];
  private sums: EpochSums = emptyEpochSums();
  /** The average of the generator's weights that is sampled; null when averaging is off. */
  private average: WeightAverage | null;
  /** A generator on the averaged weights, built on demand and dropped at the next step. */
  private averaged: Generator | null = null;

  /**
   * @param layout the transformer's layout
   * @param data the transformed training rows, [rows, dataDim] in the layout's order
   * @param config model and training sections of the run config (seed: training.seed)
   * @throws ConfigError when training.batchSize is not a positive multiple of model.pac
   * @throws ShapeMismatchError when data does not match the layout
   */
  constructor(
    readonly layout: DataLayout,
    data: Matrix,
    readonly config: TrainerConfig,
  ) {
    registerGradients();
    this.parts = buildCtganParts(layout, data, config);
    this.stepsPerEpoch = Math.max(1, Math.floor(data.rows / config.training.batchSize));
    this.average = this.newAverage();
  }

  /**
   * A trainer that continues from `state` exactly: the same data, config and backend give the
   * same weights as if training had never stopped.
   * @throws CheckpointError when the state does not fit the layout, data or config
   */
  static fromState(
    layout: DataLayout,
    data: Matrix,
    config: TrainerConfig,
    state: TrainerState,
  ): Trainer {
    const trainer = new Trainer(layout, data, config);
    try {
      trainer.restore(state);
    } catch (error) {
      trainer.dispose();
      if (error instanceof ShapeMismatchError) {
        throw new CheckpointError(
          'checkpoint does not fit this model (were the data, metadata or model config ' +
            `changed?): ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    return trainer;
  }

  /** Finished epochs. */
  get epoch(): number {
    return this.finishedEpochs;
  }

  /** Steps done in the current epoch. */
  get stepInEpoch(): number {
    return this.stepsInEpoch;
  }

  /** Mean losses of each finished epoch. */
  get history(): readonly EpochRecord[] {
    return this.records;
  }

  /**
   * One training step: training.discriminatorSteps critic updates, then one generator update.
   * @returns the step's event
   * @throws TrainingDivergedError (naming epoch and step) when a loss is NaN or infinite; the
   *   update that failed changed nothing, earlier updates of the same step stay applied
   */
  step(): StepEvent {
    const started = performance.now();
    const where = `epoch ${this.finishedEpochs + 1}, step ${this.stepsInEpoch + 1}`;
    let critic = { discriminatorLoss: 0, gradientPenalty: 0 };
    for (let update = 0; update < this.config.training.discriminatorSteps; update++) {
      critic = criticUpdate(this.parts, where);
    }
    const generated = generatorUpdate(this.parts, where);
    this.average?.update();
    this.dropAveraged();
    const seconds = (performance.now() - started) / 1000;

    this.stepsInEpoch += 1;
    const event: StepEvent = {
      epoch: this.finishedEpochs + 1,
      step: this.stepsInEpoch,
      stepsPerEpoch: this.stepsPerEpoch,
      ...generated,
      ...critic,
      msPerStep: seconds * 1000,
      rowsPerSecond: this.config.training.batchSize / seconds,
    };
    this.sums.generatorLoss += event.generatorLoss;
    this.sums.discriminatorLoss += event.discriminatorLoss;
    this.sums.gradientPenalty += event.gradientPenalty;
    this.sums.condLoss += event.condLoss;
    this.sums.seconds += seconds;
    return event;
  }

  /**
   * Runs the steps left in the current epoch.
   * @returns the finished epoch's record
   */
  async trainEpoch(onStep?: (event: StepEvent) => void): Promise<EpochRecord> {
    const target = this.finishedEpochs + 1;
    let record: EpochRecord | null = null;
    await this.train({
      epochs: target,
      ...(onStep ? { onStep } : {}),
      onEpoch: (finished) => (record = finished),
    });
    return record!;
  }

  /**
   * Trains until `epochs` epochs are finished or shouldStop() says stop, yielding to the event
   * loop after every step.
   */
  async train(options: TrainOptions = {}): Promise<TrainResult> {
    const epochs = options.epochs ?? this.config.training.epochs;
    while (this.finishedEpochs < epochs) {
      if (options.shouldStop?.() === true) return this.result(true);
      const event = this.step();
      options.onStep?.(event);
      if (this.stepsInEpoch === this.stepsPerEpoch) {
        const record = this.finishEpoch();
        options.onEpoch?.(record);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.result(false);
  }

  /** Everything needed to continue training later (copies). */
  getState(): TrainerState {
    const { generator, discriminator, generatorOptimizer, discriminatorOptimizer, rngs } =
      this.parts;
    return {
      arrays: [
        ...generator.parameters().toArrays(),
        ...generator.buffers().toArrays(),
        // The critic's first weight as one array, as the model defines it (PackedInputLayer).
        ...discriminator.toStateArrays(discriminator.parameters().toArrays()),
        ...generatorOptimizer.toArrays(),
        ...discriminator.toStateArrays(discriminatorOptimizer.toArrays()),
        ...(this.average?.toArrays() ?? []),
      ],
      progress: {
        formatVersion: TRAINER_STATE_VERSION,
        epoch: this.finishedEpochs,
        stepInEpoch: this.stepsInEpoch,
        stepsPerEpoch: this.stepsPerEpoch,
        generatorUpdates: generatorOptimizer.step,
        discriminatorUpdates: discriminatorOptimizer.step,
        averageUpdates: this.average?.updates ?? 0,
        rngs: Object.fromEntries(
          RNG_PURPOSES.map((purpose) => [purpose, rngs[purpose].getState()]),
        ) as TrainerState['progress']['rngs'],
        history: this.records.map((record) => ({ ...record })),
        epochSums: { ...this.sums },
      },
    };
  }

  /**
   * Generates rows with the sampled generator (the weight average when
   * training.generatorAverageDecay > 0, else the current weights) in inference mode (see
   * TrainedGenerator.generate).
   * @returns [rows, dataDim] in the layout's column order
   */
  generate(rows: number, options: GenerateOptions): Matrix {
    return this.sampling().generate(rows, options);
  }

  /**
   * One generated batch from given inputs (see TrainedGenerator.generateBatch).
   * @returns [batch, dataDim] in the layout's column order
   */
  generateBatch(noise: tf.Tensor2D, hot: Int32Array | null, rng: Rng): tf.Tensor2D {
    return this.sampling().generateBatch(noise, hot, rng);
  }

  /** The sampled generator as plain data (weights, model config, layout, category counts). */
  exportGenerator(): GeneratorExport {
    return this.sampling().toExport();
  }

  /** Frees every tensor the trainer owns. */
  dispose(): void {
    this.dropAveraged();
    this.parts.generator.dispose();
    this.parts.discriminator.dispose();
  }

  private sampling(): TrainedGenerator {
    const { generator, sampler, model } = this.parts;
    if (this.average !== null && this.averaged === null) {
      this.averaged = Generator.fromWeights(
        generatorDims(model, this.layout),
        this.average.weights(),
      );
    }
    const sampled = this.averaged ?? generator;
    return new TrainedGenerator(sampled, model, this.layout, sampler.counts, false);
  }

  /** A new average of the generator's weights and BatchNorm statistics, if averaging is on. */
  private newAverage(): WeightAverage | null {
    const decay = this.config.training.generatorAverageDecay;
    if (!(decay > 0)) return null;
    const { generator } = this.parts;
    const averaged = [...generator.parameters().parameters, ...generator.buffers().parameters];
    return new WeightAverage(averaged, decay);
  }

  private dropAveraged(): void {
    this.averaged?.dispose();
    this.averaged = null;
  }

  private finishEpoch(): EpochRecord {
    const steps = this.stepsInEpoch;
    const record: EpochRecord = {
      epoch: this.finishedEpochs + 1,
      generatorLoss: this.sums.generatorLoss / steps,
      discriminatorLoss: this.sums.discriminatorLoss / steps,
      gradientPenalty: this.sums.gradientPenalty / steps,
      condLoss: this.sums.condLoss / steps,
      steps,
      seconds: this.sums.seconds,
    };
    this.records.push(record);
    this.finishedEpochs += 1;
    this.stepsInEpoch = 0;
    this.sums = emptyEpochSums();
    return record;
  }

  private result(stopped: boolean): TrainResult {
    return { epoch: this.finishedEpochs, stepInEpoch: this.stepsInEpoch, stopped };
  }

  private restore(state: TrainerState): void {
    const { progress, arrays } = state;
    if (progress.formatVersion !== TRAINER_STATE_VERSION) {
      throw new CheckpointError(
        `trainer state has format version ${progress.formatVersion}; ` +
          `this tabsynth reads ${TRAINER_STATE_VERSION}`,
      );
    }
    if (progress.stepsPerEpoch !== this.stepsPerEpoch) {
      throw new CheckpointError(
        `checkpoint was taken with ${progress.stepsPerEpoch} steps per epoch, this data and ` +
          `training.batchSize give ${this.stepsPerEpoch}: resume with the same data and batch size`,
      );
    }
    const { generator, discriminator, generatorOptimizer, discriminatorOptimizer, rngs } =
      this.parts;
    generator.parameters().load(arrays);
    generator.buffers().load(arrays);
    const criticArrays = discriminator.fromStateArrays(arrays);
    discriminator.parameters().load(criticArrays);
    generatorOptimizer.load(arrays, progress.generatorUpdates);
    discriminatorOptimizer.load(criticArrays, progress.discriminatorUpdates);
    // A state without averages (averaging was off, or the run predates it) starts the average
    // at the restored weights; one with averages continues them exactly.
    this.dropAveraged();
    this.average = this.newAverage();
    if (this.average !== null && arrays.some((entry) => entry.name.startsWith(AVERAGE_PREFIX))) {
      this.average.load(arrays, progress.averageUpdates ?? 0);
    }
    for (const purpose of RNG_PURPOSES) rngs[purpose].setState(progress.rngs[purpose]);
    this.finishedEpochs = progress.epoch;
    this.stepsInEpoch = progress.stepInEpoch;
    this.records.splice(
      0,
      this.records.length,
      ...progress.history.map((record) => ({ ...record })),
    );
    this.sums = { ...progress.epochSums };
  }
}
