// Gradients of the binary arithmetic kernels (with broadcasting). Each gradient is written with
// ops whose own gradients are registered, so that second derivatives (the WGAN gradient penalty)
// can be taken through them.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

import { reduceToShape } from './reduce-to-shape.ts';

type Saved = tf.Tensor[];

/** d(a+b) = dy for both, summed back over broadcast axes. */
const add: GradConfig = {
  kernelName: tf.Add,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => reduceToShape(dy as tf.Tensor, a.shape),
      b: () => reduceToShape(dy as tf.Tensor, b.shape),
    };
  },
};

/** AddN (n inputs, equal shapes): every input receives dy. */
const addN: GradConfig = {
  kernelName: tf.AddN,
  saveAllInputs: true,
  gradFunc: (dy, saved: Saved) => {
    const result: Record<string, () => tf.Tensor> = {};
    saved.forEach((_, index) => {
      result[index] = () => tf.clone(dy as tf.Tensor);
    });
    return result;
  },
};

/** d(a-b): dy and -dy. */
const sub: GradConfig = {
  kernelName: tf.Sub,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => reduceToShape(dy as tf.Tensor, a.shape),
      b: () => reduceToShape(tf.neg(dy as tf.Tensor), b.shape),
    };
  },
};

/** d(a*b): dy*b and dy*a. */
const multiply: GradConfig = {
  kernelName: tf.Multiply,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => reduceToShape(tf.mul(dy as tf.Tensor, b), a.shape),
      b: () => reduceToShape(tf.mul(dy as tf.Tensor, a), b.shape),
    };
  },
};

/** d(a/b): dy/b and -dy*a/b^2. */
const realDiv: GradConfig = {
  kernelName: tf.RealDiv,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return {
      a: () => reduceToShape(tf.div(dy as tf.Tensor, b), a.shape),
      b: () => reduceToShape(tf.neg(tf.div(tf.mul(dy as tf.Tensor, a), tf.square(b))), b.shape),
    };
  },
};

/** d(a-b)^2: 2(a-b)dy and -2(a-b)dy. */
const squaredDifference: GradConfig = {
  kernelName: tf.SquaredDifference,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const twice = (): tf.Tensor => tf.mul(tf.mul(dy as tf.Tensor, tf.sub(a, b)), 2);
    return {
      a: () => reduceToShape(twice(), a.shape),
      b: () => reduceToShape(tf.neg(twice()), b.shape),
    };
  },
};

/** max(a, b): dy goes to a where a >= b, else to b (as TensorFlow breaks ties). */
const maximum: GradConfig = {
  kernelName: tf.Maximum,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const aWins = (): tf.Tensor => tf.cast(tf.greaterEqual(a, b), 'float32');
    return {
      a: () => reduceToShape(tf.mul(dy as tf.Tensor, aWins()), a.shape),
      b: () => reduceToShape(tf.mul(dy as tf.Tensor, tf.sub(1, aWins())), b.shape),
    };
  },
};

/** min(a, b): dy goes to a where a <= b, else to b. */
const minimum: GradConfig = {
  kernelName: tf.Minimum,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const aWins = (): tf.Tensor => tf.cast(tf.lessEqual(a, b), 'float32');
    return {
      a: () => reduceToShape(tf.mul(dy as tf.Tensor, aWins()), a.shape),
      b: () => reduceToShape(tf.mul(dy as tf.Tensor, tf.sub(1, aWins())), b.shape),
    };
  },
};

/** where(condition, t, e): dy flows to the chosen branch; the condition gets none. */
const select: GradConfig = {
  kernelName: tf.Select,
  inputsToSave: ['condition'],
  gradFunc: (dy, saved: Saved, _attrs: NamedAttrMap) => {
    const [condition] = saved as [tf.Tensor];
    const gradient = dy as tf.Tensor;
    return {
      condition: () => tf.cast(tf.zerosLike(condition), 'float32'),
      t: () => tf.where(condition, gradient, tf.zerosLike(gradient)),
      e: () => tf.where(condition, tf.zerosLike(gradient), gradient),
    };
  },
};

/** Gradients of the binary arithmetic kernels. */
export const ARITHMETIC_GRADIENTS: readonly GradConfig[] = [
  add,
  addN,
  sub,
  multiply,
  realDiv,
  squaredDifference,
  maximum,
  minimum,
  select,
];
