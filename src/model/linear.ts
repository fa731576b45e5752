// A fully connected layer, y = x W + b, initialized like PyTorch's nn.Linear: weights and bias
// uniform in +-1/sqrt(fanIn) (kaiming_uniform with a = sqrt(5) reduces to that bound), drawn
// from our seeded Rng so that the initial weights are the same on every backend.
import * as tf from '@tensorflow/tfjs-core';

import type { Rng } from '../util/rng.ts';
import { Parameter } from './parameters.ts';

/** A linear layer with weight [fanIn, fanOut] (x W, not PyTorch's x W^T) and bias [fanOut]. */
export class Linear {
  readonly weight: Parameter;
  readonly bias: Parameter;

  /**
   * @param name prefix of the parameter names ('.weight', '.bias' are appended)
   * @param fanIn input features
   * @param fanOut output features
   * @param rng draws the initial values: the weights row by row, then the bias
   */
  constructor(
    name: string,
    readonly fanIn: number,
    readonly fanOut: number,
    rng: Rng,
  ) {
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = new Parameter(
      `${name}.weight`,
      [fanIn, fanOut],
      uniform(fanIn * fanOut, bound, rng),
    );
    this.bias = new Parameter(`${name}.bias`, [fanOut], uniform(fanOut, bound, rng));
  }

  /**
   * x W + b. A plain (untransposed) product, the fast one on wasm.
   * @param x [batch, fanIn]
   * @returns [batch, fanOut]
   */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.weight.tensor as tf.Tensor2D), this.bias.tensor);
  }

  /** The layer's parameters: weight, bias. */
  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

/** `count` draws uniform in [-bound, bound). */
function uniform(count: number, bound: number, rng: Rng): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (2 * rng.next() - 1) * bound;
  return values;
}
