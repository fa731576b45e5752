// The complete state of a Trainer, for checkpoints: every array (weights, BatchNorm running
// statistics, both optimizers' moments, the generator's weight average) plus JSON-safe progress
// (epoch, step, every random stream, loss history). Restoring it continues training exactly
// where it stopped.
import type { RngState } from '../util/rng.ts';
import type { TrainingRngs } from './ctgan-steps.ts';
import type { NamedArray } from './parameters.ts';

/** Version of the TrainerState layout; bump when its meaning changes. */
export const TRAINER_STATE_VERSION = 1;

/** Mean losses of one finished epoch. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  generatorLoss: number;
  discriminatorLoss: number;
  gradientPenalty: number;
  condLoss: number;
  /** Steps in the epoch. */
  steps: number;
  /** Wall-clock seconds the epoch's steps took (summed over resumed parts). */
  seconds: number;
}

/** Sums over the steps done so far in the current epoch (to finish its EpochRecord). */
export interface EpochSums {
  generatorLoss: number;
  discriminatorLoss: number;
  gradientPenalty: number;
  condLoss: number;
  seconds: number;
}

/** The JSON part of a TrainerState. */
export interface TrainerProgress {
  formatVersion: number;
  /** Finished epochs. */
  epoch: number;
  /** Steps done in the current (unfinished) epoch. */
  stepInEpoch: number;
  /** Steps per epoch when the state was taken: max(1, floor(rows / batchSize)). */
  stepsPerEpoch: number;
  /** Updates each optimizer has applied (Adam's bias-correction step). */
  generatorUpdates: number;
  discriminatorUpdates: number;
  /**
   * Updates folded into the generator's weight average (its warm-up count); absent in states
   * written before tabsynth averaged weights.
   */
  averageUpdates?: number;
  /** The state of every random stream, by purpose. */
  rngs: Record<keyof TrainingRngs, RngState>;
  /** One record per finished epoch. */
  history: EpochRecord[];
  /** Partial sums of the current epoch. */
  epochSums: EpochSums;
}

/**
 * A Trainer's state. Array names: 'generator.*' and 'discriminator.*' (weights and BatchNorm
 * running statistics), 'adam.generator.{m,v}.*' and 'adam.discriminator.{m,v}.*' (moments),
 * 'average.generator.*' (the generator's weight average, when training.generatorAverageDecay
 * > 0).
 */
export interface TrainerState {
  arrays: NamedArray[];
  progress: TrainerProgress;
}

/** The purposes of the training random streams, in the order they are forked from the root. */
export const RNG_PURPOSES: ReadonlyArray<keyof TrainingRngs> = [
  'rows',
  'conditions',
  'noise',
  'dropout',
  'gumbel',
  'interpolation',
];

/** Empty sums for a new epoch. */
export function emptyEpochSums(): EpochSums {
  return { generatorLoss: 0, discriminatorLoss: 0, gradientPenalty: 0, condLoss: 0, seconds: 0 };
}
