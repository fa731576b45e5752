// The gradient registry of tabsynth. tfjs-core alone registers no gradients (the full
// @tensorflow/tfjs package adds them), so every kernel the model differentiates through, twice
// for the gradient penalty, gets its gradient here, written for speed on wasm.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';

import { ARITHMETIC_GRADIENTS } from './arithmetic.ts';
import { MATMUL_GRADIENTS } from './matmul.ts';
import { PIECEWISE_CONSTANT_GRADIENTS } from './piecewise-constant.ts';
import { REDUCTION_GRADIENTS } from './reduction.ts';
import { SHAPE_GRADIENTS } from './shape.ts';
import { UNARY_GRADIENTS } from './unary.ts';

/** Every gradient tabsynth registers. */
export const TABSYNTH_GRADIENTS: readonly GradConfig[] = [
  ...ARITHMETIC_GRADIENTS,
  ...UNARY_GRADIENTS,
  ...PIECEWISE_CONSTANT_GRADIENTS,
  ...REDUCTION_GRADIENTS,
  ...SHAPE_GRADIENTS,
  ...MATMUL_GRADIENTS,
];

/**
 * Registers every tabsynth gradient, replacing any registered before (e.g. by @tensorflow/tfjs,
 * which @tensorflow/tfjs-node imports when it loads). Idempotent and cheap: a registered
 * tabsynth gradient is left in place.
 */
export function registerGradients(): void {
  for (const config of TABSYNTH_GRADIENTS) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    if (current != null) tf.unregisterGradient(config.kernelName);
    tf.registerGradient(config);
  }
}
