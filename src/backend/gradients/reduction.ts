// Gradients of the reductions (sum, mean, max) and of softmax. The reduced gradient is spread
// back by a broadcasting multiply with ones, not by broadcastTo: wasm's Tile kernel took ~7 ms
// for a [500, 256] result, the multiply ~0.1 ms. The ones are filled from x's shape (on the
// backend; tf.ones builds them in JavaScript), not by onesLike(x): a tape records onesLike as an
// op on x, and in a second derivative (the gradient penalty's) that link made the tape carry
// zeros back through the whole forward pass.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

import { keptShape, reductionAxes } from './reduce-to-shape.ts';

type Saved = tf.Tensor[];

/** dy reshaped to the kept-dims shape of the reduction and broadcast back over `x`'s shape. */
function spreadBack(dy: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const kept = tf.reshape(dy, keptShape(x.shape, axes)); // [..., 1 on reduced axes, ...]
  if (tf.util.arraysEqual(kept.shape, x.shape)) return kept;
  return tf.mul(kept, tf.fill(x.shape, 1)); // [...x.shape]
}

/** sum over axes: every summed element receives dy. */
const sum: GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const axes = reductionAxes(attrs['axis'], x.shape);
    return { x: () => spreadBack(dy as tf.Tensor, x, axes) };
  },
};

/** mean over axes: every element receives dy / (number of elements averaged). */
const mean: GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const axes = reductionAxes(attrs['axis'], x.shape);
    const count = axes.reduce((product, axis) => product * x.shape[axis]!, 1);
    return { x: () => tf.div(spreadBack(dy as tf.Tensor, x, axes), count) };
  },
};

/** max over axes: dy goes to the elements equal to the maximum (to all of them on ties). */
const max: GradConfig = {
  kernelName: tf.Max,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x, y] = saved as [tf.Tensor, tf.Tensor];
    const axes = reductionAxes(attrs['reductionIndices'], x.shape);
    return {
      x: () => {
        const maxima = spreadBack(y, x, axes); // [...x.shape]
        const isMax = tf.cast(tf.equal(x, maxima), 'float32');
        return tf.mul(isMax, spreadBack(dy as tf.Tensor, x, axes));
      },
    };
  },
};

/** softmax over the last axis, y = softmax(x): dx = y (dy - sum(dy y, last axis)). */
const softmax: GradConfig = {
  kernelName: tf.Softmax,
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved) => {
    const [y] = saved as [tf.Tensor];
    const lastAxis = y.rank - 1;
    return {
      logits: () => {
        const weighted = tf.sum(tf.mul(dy as tf.Tensor, y), lastAxis, true); // [..., 1]
        return tf.mul(y, tf.sub(dy as tf.Tensor, weighted));
      },
    };
  },
};

/** Gradients of the reductions and of softmax. */
export const REDUCTION_GRADIENTS: readonly GradConfig[] = [sum, mean, max, softmax];
