// CTGAN's losses: the WGAN critic loss, the WGAN-GP gradient penalty over packs, and the
// conditional cross-entropy that makes the generator produce the category it is conditioned on.
import * as tf from '@tensorflow/tfjs-core';

import { ShapeMismatchError } from '../util/errors.ts';
import { type CriticInput, interpolateInputs } from './critic-input.ts';
import type { OutputPlan } from './output-plan.ts';

/**
 * Added under the square root of the gradient norm: the derivative of sqrt is infinite at 0.
 * PyTorch's norm returns a zero gradient there instead; 1e-12 moves a norm of ~1 by 5e-13.
 */
const NORM_EPSILON = 1e-12;

/**
 * WGAN critic loss, -(mean D(real) - mean D(fake)).
 * @param realScores [packs, 1]
 * @param fakeScores [packs, 1]
 * @returns scalar
 */
export function criticLoss(realScores: tf.Tensor, fakeScores: tf.Tensor): tf.Scalar {
  return tf.sub(tf.mean(fakeScores), tf.mean(realScores)) as tf.Scalar;
}

/**
 * WGAN-GP penalty as CTGAN computes it per pack: x = a real + (1 - a) fake with one weight a
 * per pack; the gradient of sum(D(x)) with respect to x, one row per pack (data and condition
 * columns); penalty = weight * mean over packs of (||gradient||_2 - 1)^2.
 * @param inputGradient the critic's gradient of sum(D) with respect to each pack's input,
 *   [packs, pac * width] (Discriminator.inputGradient), differentiable in its weights
 * @param real batch real rows with their conditions
 * @param fake batch generated rows with their conditions
 * @param packWeights [packs] interpolation weight of each pack, uniform in [0, 1)
 * @param pac rows per pack
 * @param weight lambda (training.gradientPenalty; CTGAN: 10)
 * @returns scalar, differentiable with respect to the critic's weights (second derivative)
 */
export function gradientPenalty(
  inputGradient: (mixed: CriticInput) => tf.Tensor2D,
  real: CriticInput,
  fake: CriticInput,
  packWeights: Float32Array,
  pac: number,
  weight: number,
): tf.Scalar {
  const packs = real.data.shape[0] / pac;
  const gradient = inputGradient(interpolateInputs(real, fake, packWeights, pac));
  if (gradient.shape[0] !== packs) {
    const expected = `[${packs}, pac * width]`;
    throw new ShapeMismatchError('critic input gradient', expected, gradient.shape);
  }
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradient), 1), NORM_EPSILON)); // [packs]
  return tf.mul(tf.mean(tf.square(tf.sub(norms, 1))), weight) as tf.Scalar;
}

/**
 * The conditional loss of CTGAN's generator: for each row, the cross-entropy between the logits
 * of the conditioned discrete column and the condition's category; other columns count 0;
 * summed over columns, averaged over the batch. The gradient is written by hand: for the
 * conditioned span it is (softmax(logits) - one-hot) / batch, elsewhere 0.
 * @param discreteLogits [batch, discreteWidth] pre-activation logits of the discrete block
 * @param target [batch, discreteWidth] 1 at the conditioned category of each row, else 0
 * @param spanMask [batch, discreteWidth] 1 on the whole conditioned span of each row, else 0
 * @param plan gives the spans' grouping
 * @returns scalar
 */
export function conditionalLoss(
  discreteLogits: tf.Tensor2D,
  target: tf.Tensor2D,
  spanMask: tf.Tensor2D,
  plan: OutputPlan,
): tf.Scalar {
  const [batch, width] = discreteLogits.shape;
  const expected = [batch, plan.discreteWidth];
  if (width !== plan.discreteWidth)
    throw new ShapeMismatchError('discrete logits', expected, discreteLogits.shape);
  if (!tf.util.arraysEqual(target.shape, expected))
    throw new ShapeMismatchError('cond target', expected, target.shape);

  const loss = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logits, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
    const logProbabilities = groupedLogSoftmax(logits, plan); // [batch, width]
    const probabilities = tf.exp(logProbabilities);
    // Saved (kept until the backward pass) rather than captured: a caller may create the
    // target and mask inside the differentiated function, whose tidy disposes them before then.
    save([probabilities, target, spanMask]);
    const value = tf.div(tf.neg(tf.sum(tf.mul(target, logProbabilities))), batch) as tf.Scalar;
    const gradFunc = (dy: tf.Scalar, saved: tf.Tensor[]): tf.Tensor => {
      const [savedProbabilities, savedTarget, savedMask] = saved as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const inSpan = tf.mul(savedProbabilities, savedMask); // softmax on the conditioned span only
      return tf.mul(tf.div(tf.sub(inSpan, savedTarget), batch), dy);
    };
    return { value, gradFunc };
  });
  return loss(discreteLogits) as tf.Scalar;
}

/**
 * log softmax within each discrete span: x - max - log(sum(exp(x - max))), per span group.
 * @param logits [batch, discreteWidth]
 * @returns [batch, discreteWidth]
 */
function groupedLogSoftmax(logits: tf.Tensor2D, plan: OutputPlan): tf.Tensor2D {
  const batch = logits.shape[0];
  const groups = plan.discreteGroups;
  const sizes = groups.map((group) => group.count * group.width);
  const pieces = groups.length === 1 ? [logits] : tf.split(logits, sizes, 1);
  const parts = groups.map((group, index) => {
    // [batch, count, width]
    const spans = tf.reshape(pieces[index]!, [batch, group.count, group.width]);
    const shifted = tf.sub(spans, tf.max(spans, 2, true));
    const logSum = tf.log(tf.sum(tf.exp(shifted), 2, true)); // [batch, count, 1]
    return tf.reshape(tf.sub(shifted, logSum), [batch, sizes[index]!]) as tf.Tensor2D;
  });
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
