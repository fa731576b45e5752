// The generator's output activations in OutputPlan's column order: tanh on scalar columns and
// Gumbel-softmax (not hard) within each one-hot span, as CTGAN applies them in training and in
// sampling (so that the transformer's argmax draws a category from the generator's softmax).
import * as tf from '@tensorflow/tfjs-core';

import { ShapeMismatchError } from '../util/errors.ts';
import type { OutputPlan, SpanGroup } from './output-plan.ts';

// Blocks are cut with split (one kernel, whose gradient is one concat) rather than slices (one
// kernel each, and a zero-padded full-width gradient each).

/** The generator's logits cut into the plan's blocks; null for an empty block. */
export interface LogitBlocks {
  /** [batch, tanhWidth] */
  tanh: tf.Tensor2D | null;
  /** [batch, discreteWidth]: the discrete columns' one-hot logits (the conditional loss's). */
  discrete: tf.Tensor2D | null;
  /** [batch, softmaxWidth - discreteWidth]: the other softmax spans (modes). */
  other: tf.Tensor2D | null;
}

/** Gumbel noise for the two softmax blocks. */
export interface GumbelBlocks {
  /** [batch, discreteWidth], or null when discreteWidth is 0 */
  discrete: tf.Tensor2D | null;
  /** [batch, softmaxWidth - discreteWidth], or null when that is 0 */
  other: tf.Tensor2D | null;
}

/**
 * Cuts logits into the tanh, discrete and other blocks (dropping the padding columns).
 * @param logits [batch, logitWidth], internal order
 * @throws ShapeMismatchError when the width is not plan.logitWidth
 */
export function splitLogits(logits: tf.Tensor2D, plan: OutputPlan): LogitBlocks {
  const [batch, width] = logits.shape;
  if (width !== plan.logitWidth) {
    throw new ShapeMismatchError('generator logits', [batch, plan.logitWidth], logits.shape);
  }
  const otherWidth = plan.softmaxWidth - plan.discreteWidth;
  const widths = [plan.tanhWidth, plan.discreteWidth, otherWidth, plan.logitWidth - plan.dataDim];
  const kept = widths.filter((size) => size > 0);
  const parts = kept.length === 1 ? [logits] : (tf.split(logits, kept, 1) as tf.Tensor2D[]);
  let next = 0;
  const take = (size: number): tf.Tensor2D | null => (size > 0 ? parts[next++]! : null);
  return { tanh: take(widths[0]!), discrete: take(widths[1]!), other: take(widths[2]!) };
}

/**
 * tanh on the tanh block; softmax((logits + gumbel) / tau) within each softmax span.
 * @param blocks from splitLogits
 * @param gumbel Gumbel noise per softmax block
 * @param tau temperature (CTGAN: 0.2)
 * @returns [batch, dataDim], internal order
 */
export function activateBlocks(
  blocks: LogitBlocks,
  gumbel: GumbelBlocks,
  plan: OutputPlan,
  tau: number,
): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  if (blocks.tanh !== null) parts.push(tf.tanh(blocks.tanh));
  const softmaxBlocks = [
    { logits: blocks.discrete, noise: gumbel.discrete, groups: plan.discreteGroups },
    { logits: blocks.other, noise: gumbel.other, groups: plan.otherGroups },
  ];
  for (const { logits, noise, groups } of softmaxBlocks) {
    if (logits === null) continue;
    if (noise === null || !tf.util.arraysEqual(noise.shape, logits.shape)) {
      throw new ShapeMismatchError('gumbel noise', logits.shape, noise?.shape ?? []);
    }
    const tempered = tf.div(tf.add(logits, noise), tau) as tf.Tensor2D; // [batch, block width]
    parts.push(...groupSoftmax(tempered, groups));
  }
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1); // [batch, dataDim]
}

/**
 * tanh and Gumbel-softmax of the generator's logits (splitLogits, then activateBlocks).
 * @param logits [batch, logitWidth], internal order (columns past dataDim are ignored)
 * @returns [batch, dataDim], internal order
 */
export function activate(
  logits: tf.Tensor2D,
  gumbel: GumbelBlocks,
  plan: OutputPlan,
  tau: number,
): tf.Tensor2D {
  return activateBlocks(splitLogits(logits, plan), gumbel, plan, tau);
}

/**
 * Softmax within each span of consecutive groups that together make up `block`.
 * @param block [batch, sum of count * width over the groups]
 * @returns one [batch, count * width] tensor per group
 */
export function groupSoftmax(block: tf.Tensor2D, groups: readonly SpanGroup[]): tf.Tensor2D[] {
  const batch = block.shape[0];
  const sizes = groups.map((group) => group.count * group.width);
  const pieces = groups.length === 1 ? [block] : (tf.split(block, sizes, 1) as tf.Tensor2D[]);
  return groups.map((group, index) => {
    // [batch, count, width]: softmax over the last axis is a softmax per span.
    const spans = tf.reshape(pieces[index]!, [batch, group.count, group.width]);
    return tf.reshape(tf.softmax(spans), [batch, sizes[index]!]) as tf.Tensor2D;
  });
}
