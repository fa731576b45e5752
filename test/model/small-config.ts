// Small model and training settings for tests: networks of width 32, so that a step takes
// milliseconds.
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ModelConfig, TrainingConfig } from '../../src/config/schema.ts';

/** The default model with noise 16, widths [32, 32] and pac 4. */
export const SMALL_MODEL: ModelConfig = {
  ...DEFAULT_CONFIG.model,
  noiseDim: 16,
  generatorDims: [32, 32],
  discriminatorDims: [32, 32],
  pac: 4,
};

/** The default training with batch 40, 2 epochs and seed 7, plus `overrides`. */
export function smallTraining(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return { ...DEFAULT_CONFIG.training, batchSize: 40, epochs: 2, seed: 7, ...overrides };
}
