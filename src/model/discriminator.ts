// CTGAN's discriminator (critic) over packs of `pac` rows (PacGAN, Lin et al. 2018): each input
// row is a data row concatenated with its condition vector; `pac` rows are concatenated into
// one critic input. Linear, LeakyReLU(0.2), Dropout(0.5) per hidden layer, then Linear to 1.
// The first Linear takes the condition vectors as weighted positions (PackedInputLayer).
import * as tf from '@tensorflow/tfjs-core';

import { ConfigError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import type { CriticInput } from './critic-input.ts';
import { Linear } from './linear.ts';
import { joinPackedWeights, PackedInputLayer, splitPackedWeights } from './packed-input-layer.ts';
import { type NamedArray, ParameterSet } from './parameters.ts';
import { dropoutMask } from './random-draws.ts';

/** The sizes and constants that define a discriminator. */
export interface DiscriminatorDims {
  /** Width of a data row (layout.dataDim). */
  dataDim: number;
  /** Width of a condition vector (layout.condDim; 0 without discrete columns). */
  condDim: number;
  /** Rows per pack (model.pac). */
  pac: number;
  /** Widths of the hidden layers (model.discriminatorDims), at least one. */
  discriminatorDims: number[];
  /** Negative slope of the LeakyReLU (model.leakySlope). */
  leakySlope: number;
  /** Dropout rate (model.dropout). */
  dropout: number;
}

/** Name of the first layer's parameters, and of its joined weight in state arrays. */
const FIRST_LAYER = 'discriminator.hidden0';

/** The discriminator network. Owns its parameters; call dispose() when done. */
export class Discriminator {
  private readonly first: PackedInputLayer;
  /** The hidden layers after the first. */
  private readonly hidden: Linear[];
  private readonly output: Linear;

  /**
   * @param dims network sizes
   * @param rng draws the initial weights, layer by layer
   * @throws ConfigError when dims.discriminatorDims is empty
   */
  constructor(
    readonly dims: DiscriminatorDims,
    rng: Rng,
  ) {
    const [firstWidth, ...others] = dims.discriminatorDims;
    if (firstWidth === undefined) {
      throw new ConfigError('model.discriminatorDims needs at least one layer width');
    }
    this.first = new PackedInputLayer(FIRST_LAYER, dims, firstWidth, rng);
    let width = firstWidth;
    this.hidden = others.map((layerWidth, index) => {
      const layer = new Linear(`discriminator.hidden${index + 1}`, width, layerWidth, rng);
      width = layerWidth;
      return layer;
    });
    this.output = new Linear('discriminator.output', width, 1, rng);
  }

  /**
   * Critic scores of packs, in training mode (dropout masks drawn from `dropoutRng`, one mask
   * per hidden layer, in layer order).
   * @param input batch = packs * pac rows
   * @param dropoutRng source of the dropout masks; null runs without dropout (inference)
   * @returns [packs, 1]
   */
  apply(input: CriticInput, dropoutRng: Rng | null): tf.Tensor2D {
    return this.fromFirstLayer(this.first.apply(input), dropoutRng);
  }

  /**
   * The gradient of sum(scores) with respect to each pack's input, data and condition columns
   * (what the gradient penalty takes the norm of), differentiable in the weights. Taken with
   * respect to the first layer's pre-activations z and then multiplied by the first weight,
   * dz W^T, so that the forward pass keeps its condition gather; the columns come in the order
   * of PackedInputLayer.inputGradient.
   * @param input batch = packs * pac rows
   * @param dropoutRng as for apply
   * @returns [packs, pac * (dataDim + condDim)]
   */
  inputGradient(input: CriticInput, dropoutRng: Rng | null): tf.Tensor2D {
    const z = this.first.apply(input); // [packs, firstWidth]
    const dz = tf.grad((pre: tf.Tensor) =>
      tf.sum(this.fromFirstLayer(pre as tf.Tensor2D, dropoutRng)),
    )(z);
    return this.first.inputGradient(dz as tf.Tensor2D);
  }

  /** Trainable weights: the first layer's parameters, then weight and bias of each layer. */
  parameters(): ParameterSet {
    return new ParameterSet([
      ...this.first.parameters(),
      ...[...this.hidden, this.output].flatMap((layer) => layer.parameters()),
    ]);
  }

  /**
   * State arrays (parameters and optimizer moments) as checkpoints store them: the first
   * layer's weight as one array in the model's packed-row order.
   */
  toStateArrays(arrays: readonly NamedArray[]): NamedArray[] {
    return joinPackedWeights(arrays, this.dims);
  }

  /**
   * The inverse of toStateArrays: the first layer's weight (and its moments) split into the
   * parts this network keeps. Other arrays pass unchanged.
   * @throws ShapeMismatchError when the first weight has another number of rows
   */
  fromStateArrays(arrays: readonly NamedArray[]): NamedArray[] {
    return splitPackedWeights(arrays, FIRST_LAYER, this.dims);
  }

  /** Frees every device tensor. */
  dispose(): void {
    this.parameters().dispose();
  }

  /**
   * The network from the first layer's pre-activations.
   * @param z [packs, firstWidth]
   * @returns [packs, 1]
   */
  private fromFirstLayer(z: tf.Tensor2D, dropoutRng: Rng | null): tf.Tensor2D {
    const activate = (pre: tf.Tensor2D, width: number): tf.Tensor2D => {
      const x = tf.leakyRelu(pre, this.dims.leakySlope); // [packs, width]
      if (dropoutRng === null || !(this.dims.dropout > 0)) return x;
      return tf.mul(x, dropoutMask(dropoutRng, pre.shape[0], width, this.dims.dropout));
    };
    let x = activate(z, this.first.fanOut);
    for (const layer of this.hidden) x = activate(layer.apply(x), layer.fanOut);
    return this.output.apply(x); // [packs, 1]
  }
}
