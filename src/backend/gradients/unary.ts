// Gradients of the element-wise unary kernels the model uses (activations, square roots,
// exponentials). Written with ops that have registered gradients themselves, so that they can be
// differentiated again.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];

/** -x: -dy. */
const neg: GradConfig = {
  kernelName: tf.Neg,
  gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }),
};

/** x^2: 2x dy. */
const square: GradConfig = {
  kernelName: tf.Square,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(x, 2)) };
  },
};

/** sqrt(x) = y: dy / (2y). */
const sqrt: GradConfig = {
  kernelName: tf.Sqrt,
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.div(dy as tf.Tensor, tf.mul(y, 2)) };
  },
};

/** 1/sqrt(x) = y: -dy y^3 / 2. */
const rsqrt: GradConfig = {
  kernelName: tf.Rsqrt,
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.mul(tf.square(y), y), -0.5)) };
  },
};

/** exp(x) = y: dy y. */
const exp: GradConfig = {
  kernelName: tf.Exp,
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, y) };
  },
};

/** log(x): dy / x. */
const log: GradConfig = {
  kernelName: tf.Log,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.div(dy as tf.Tensor, x) };
  },
};

/** tanh(x) = y: dy (1 - y^2). */
const tanh: GradConfig = {
  kernelName: tf.Tanh,
  outputsToSave: [true],
  gradFunc: (dy, saved: Saved) => {
    const [y] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(y))) };
  },
};

/**
 * The slope of a (leaky) ReLU at x, 1 where x > 0, else `alpha`, as a constant of any enclosing
 * gradient: it is piecewise constant, so its derivative is zero, and computing it out of sight
 * of the tape spares a second derivative (the gradient penalty's) from carrying those zeros
 * back through the whole forward pass (on Adult: the critic's first-layer weight gradient,
 * a 3480 x 50 @ 50 x 256 product per step, and the layers before it).
 */
function slope(x: tf.Tensor, alpha: number): tf.Tensor {
  // A custom gradient with no inputs records a tape node that no gradient path can reach, and
  // the ops inside its forward function are not recorded at all.
  const constant = tf.customGrad(() => ({
    value: tf.step(x, alpha),
    gradFunc: () => [],
  }));
  return constant();
}

/** relu(x): dy where x > 0, else 0 (PyTorch's choice at 0). */
const relu: GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, slope(x, 0)) };
  },
};

/** leakyRelu(x): dy where x > 0, else alpha dy. */
const leakyRelu: GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, slope(x, attrs['alpha'] as number)) };
  },
};

/** Identity (tf.clone): dy. */
const identity: GradConfig = {
  kernelName: tf.Identity,
  gradFunc: (dy) => ({ x: () => tf.cast(dy as tf.Tensor, 'float32') }),
};

/**
 * Cast: dy for a float input. The engine clones saved tensors through a tape node whose
 * gradient is a Cast, so second derivatives run through this kernel.
 */
const cast: GradConfig = {
  kernelName: tf.Cast,
  gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }),
};

/** Gradients of the unary element-wise kernels. */
export const UNARY_GRADIENTS: readonly GradConfig[] = [
  neg,
  square,
  sqrt,
  rsqrt,
  exp,
  log,
  tanh,
  relu,
  leakyRelu,
  identity,
  cast,
];
