// The random inputs of the networks, drawn from our seeded Rng in JavaScript (never tf.random*)
// so that a seed gives the same numbers on every backend and a saved Rng state resumes them.
import * as tf from '@tensorflow/tfjs-core';

import type { Rng } from '../util/rng.ts';
import type { GumbelBlocks } from './activations.ts';
import { fillGaussian, fillOpenUniform, fillUniform } from './bulk-random.ts';
import type { OutputPlan } from './output-plan.ts';

/**
 * Standard normal noise for the generator.
 * @returns [rows, cols] as a tensor
 */
export function gaussianNoise(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(fillGaussian(rng, new Float32Array(rows * cols)), [rows, cols]);
}

/**
 * Gumbel(0, 1) noise, -log(-log(u)) for u uniform in the open interval (0, 1); the logarithms
 * run on the device. The uniform draws are (k + 0.5) / 2^32, never 0 or 1.
 * @returns [rows, cols]
 */
export function gumbelNoise(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  const uniform = fillOpenUniform(rng, new Float32Array(rows * cols));
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(tf.tensor2d(uniform, [rows, cols]))))));
}

/**
 * An inverted-dropout mask as PyTorch's nn.Dropout applies in training: each entry is 0 with
 * probability `rate`, else 1 / (1 - rate).
 * @returns [rows, cols]
 */
export function dropoutMask(rng: Rng, rows: number, cols: number, rate: number): tf.Tensor2D {
  const kept = 1 / (1 - rate);
  const mask = fillUniform(rng, new Float32Array(rows * cols), (u) => (u < rate ? 0 : kept));
  return tf.tensor2d(mask, [rows, cols]);
}

/**
 * Gumbel noise for the generator's two softmax blocks: the discrete block's, then the other's.
 * @returns [batch, discreteWidth] and [batch, softmaxWidth - discreteWidth] (null when empty)
 */
export function gumbelBlocks(rng: Rng, batch: number, plan: OutputPlan): GumbelBlocks {
  const otherWidth = plan.softmaxWidth - plan.discreteWidth;
  return {
    discrete: plan.discreteWidth > 0 ? gumbelNoise(rng, batch, plan.discreteWidth) : null,
    other: otherWidth > 0 ? gumbelNoise(rng, batch, otherWidth) : null,
  };
}
