// Zero gradients for piecewise-constant kernels (comparisons, step, sign, rounding, shape-only
// constructors). tfjs-core registers none, so the second derivative of a ReLU or LeakyReLU
// network failed with "gradient function not found for Greater".
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];

/** A gradient config giving zeros (float32) for each of `inputs`. */
function zeroGradient(kernelName: string, inputs: readonly string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputs],
    gradFunc: (_dy, saved: Saved) => {
      const result: Record<string, () => tf.Tensor> = {};
      inputs.forEach((name, index) => {
        result[name] = () => {
          const input = saved[index]!;
          const zeros = tf.zerosLike(input);
          return input.dtype === 'float32' ? zeros : tf.cast(zeros, 'float32');
        };
      });
      return result;
    },
  };
}

const BINARY = ['a', 'b'] as const;
const UNARY = ['x'] as const;

/** Zero gradients of comparisons, step, sign, rounding and shape-only constructors. */
export const PIECEWISE_CONSTANT_GRADIENTS: readonly GradConfig[] = [
  zeroGradient(tf.Greater, BINARY),
  zeroGradient(tf.GreaterEqual, BINARY),
  zeroGradient(tf.Less, BINARY),
  zeroGradient(tf.LessEqual, BINARY),
  zeroGradient(tf.Equal, BINARY),
  zeroGradient(tf.NotEqual, BINARY),
  zeroGradient(tf.LogicalAnd, BINARY),
  zeroGradient(tf.LogicalOr, BINARY),
  zeroGradient(tf.LogicalNot, UNARY),
  zeroGradient(tf.Step, UNARY),
  zeroGradient(tf.Sign, UNARY),
  zeroGradient(tf.Floor, UNARY),
  zeroGradient(tf.Ceil, UNARY),
  zeroGradient(tf.Round, UNARY),
  zeroGradient(tf.IsNan, UNARY),
  zeroGradient(tf.IsFinite, UNARY),
  zeroGradient(tf.ZerosLike, UNARY),
  zeroGradient(tf.OnesLike, UNARY),
];
