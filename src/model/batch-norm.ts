// BatchNorm1d as PyTorch defines it: in training, normalize by the batch mean and biased
// variance, and move the running statistics by momentum 0.1 towards the batch mean and the
// unbiased variance; in inference, normalize by the running statistics. eps 1e-5.
import * as tf from '@tensorflow/tfjs-core';

import { Parameter } from './parameters.ts';

/** PyTorch's defaults for nn.BatchNorm1d. */
const MOMENTUM = 0.1;
const EPSILON = 1e-5;

/** Batch normalization over the features of a [batch, features] input. */
export class BatchNorm {
  /** Scale, initially 1. Trainable. */
  readonly gamma: Parameter;
  /** Shift, initially 0. Trainable. */
  readonly beta: Parameter;
  /** Running mean, initially 0. Not trained: moved by `commitStatistics`. */
  readonly movingMean: Parameter;
  /** Running (unbiased) variance, initially 1. */
  readonly movingVariance: Parameter;
  /** Batch statistics of training passes not yet folded into the running ones: [2, features]. */
  private pending: Array<{ statistics: tf.Tensor; batch: number }> = [];

  /**
   * @param name prefix of the parameter names
   * @param features width of the normalized input
   */
  constructor(
    name: string,
    readonly features: number,
  ) {
    this.gamma = new Parameter(`${name}.gamma`, [features], new Float32Array(features).fill(1));
    this.beta = new Parameter(`${name}.beta`, [features], new Float32Array(features));
    this.movingMean = new Parameter(`${name}.movingMean`, [features], new Float32Array(features));
    const variance = new Float32Array(features).fill(1);
    this.movingVariance = new Parameter(`${name}.movingVariance`, [features], variance);
  }

  /**
   * Training mode: normalizes by the batch's statistics and keeps them (a kept tensor outside
   * any tidy) until `commitStatistics` or `discardStatistics`.
   * @param x [batch, features], batch >= 2
   * @returns [batch, features]
   */
  applyTraining(x: tf.Tensor2D): tf.Tensor2D {
    const batch = x.shape[0];
    const mean = tf.mean(x, 0); // [features]
    const centered = tf.sub(x, mean); // [batch, features]
    const variance = tf.mean(tf.square(centered), 0); // [features], biased
    const scale = tf.mul(tf.rsqrt(tf.add(variance, EPSILON)), this.gamma.tensor); // [features]
    this.pending.push({ statistics: tf.keep(tf.stack([mean, variance])), batch }); // [2, features]
    return tf.add(tf.mul(centered, scale), this.beta.tensor);
  }

  /**
   * Inference mode: (x - movingMean) / sqrt(movingVariance + eps) * gamma + beta, folded into
   * one scale and one shift computed here in float64.
   * @param x [batch, features]
   * @returns [batch, features]
   */
  applyInference(x: tf.Tensor2D): tf.Tensor2D {
    const scale = new Float32Array(this.features);
    const shift = new Float32Array(this.features);
    for (let j = 0; j < this.features; j++) {
      scale[j] = this.gamma.values[j]! / Math.sqrt(this.movingVariance.values[j]! + EPSILON);
      shift[j] = this.beta.values[j]! - this.movingMean.values[j]! * scale[j]!;
    }
    return tf.add(tf.mul(x, tf.tensor1d(scale)), tf.tensor1d(shift));
  }

  /** Moves the running statistics by every pending batch, in order, as PyTorch does per pass. */
  commitStatistics(): void {
    for (const { statistics, batch } of this.pending) {
      const values = statistics.dataSync(); // [mean..., variance...]
      const unbiased = batch / (batch - 1);
      const mean = this.movingMean.values;
      const variance = this.movingVariance.values;
      for (let j = 0; j < this.features; j++) {
        mean[j] = (1 - MOMENTUM) * mean[j]! + MOMENTUM * values[j]!;
        variance[j] =
          (1 - MOMENTUM) * variance[j]! + MOMENTUM * values[this.features + j]! * unbiased;
      }
      statistics.dispose();
    }
    if (this.pending.length > 0) {
      this.movingMean.changed();
      this.movingVariance.changed();
    }
    this.pending = [];
  }

  /** Drops pending batch statistics (a step that is being undone). */
  discardStatistics(): void {
    for (const { statistics } of this.pending) statistics.dispose();
    this.pending = [];
  }

  /** Trainable parameters: gamma, beta. */
  parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }

  /** Running statistics: moving mean, moving variance. */
  buffers(): Parameter[] {
    return [this.movingMean, this.movingVariance];
  }

  /** Frees device copies and pending statistics. */
  dispose(): void {
    this.discardStatistics();
    for (const parameter of [...this.parameters(), ...this.buffers()]) parameter.dispose();
  }
}
