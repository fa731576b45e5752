// CTGAN's discriminator (critic) over packs of `pac` rows (PacGAN, Lin et al. 2018): each input
// row is a data row concatenated with its condition vector; `pac` rows are concatenated into
// one critic input. Linear, LeakyReLU(0.2), Dropout(0.5) per hidden layer, then Linear to 1.
import * as tf from '@tensorflow/tfjs-core';

import { ShapeMismatchError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { Linear } from './linear.ts';
import { ParameterSet } from './parameters.ts';
import { dropoutMask } from './random-draws.ts';

/** The sizes and constants that define a discriminator. */
export interface DiscriminatorDims {
  /** Width of one input row: dataDim + condDim. */
  inputDim: number;
  /** Rows per pack (model.pac). */
  pac: number;
  /** Widths of the hidden layers (model.discriminatorDims). */
  discriminatorDims: number[];
  /** Negative slope of the LeakyReLU (model.leakySlope). */
  leakySlope: number;
  /** Dropout rate (model.dropout). */
  dropout: number;
}

/** The discriminator network. Owns its parameters; call dispose() when done. */
export class Discriminator {
  private readonly hidden: Linear[];
  private readonly output: Linear;

  /**
   * @param dims network sizes
   * @param rng draws the initial weights, layer by layer
   */
  constructor(
    readonly dims: DiscriminatorDims,
    rng: Rng,
  ) {
    let width = dims.inputDim * dims.pac;
    this.hidden = dims.discriminatorDims.map((layerWidth, index) => {
      const layer = new Linear(`discriminator.hidden${index}`, width, layerWidth, rng);
      width = layerWidth;
      return layer;
    });
    this.output = new Linear('discriminator.output', width, 1, rng);
  }

  /**
   * Critic scores of packs, in training mode (dropout masks drawn from `dropoutRng`, one mask
   * per hidden layer, in layer order).
   * @param rows [batch, inputDim], batch a multiple of pac
   * @param dropoutRng source of the dropout masks; null runs without dropout (inference)
   * @returns [batch / pac, 1]
   */
  apply(rows: tf.Tensor2D, dropoutRng: Rng | null): tf.Tensor2D {
    const [batch, width] = rows.shape;
    if (width !== this.dims.inputDim || batch % this.dims.pac !== 0) {
      throw new ShapeMismatchError(
        'discriminator input',
        `[k * ${this.dims.pac}, ${this.dims.inputDim}]`,
        rows.shape,
      );
    }
    const packs = batch / this.dims.pac;

    // [packs, pac * inputDim]
    let x = tf.reshape(rows, [packs, this.dims.pac * width]) as tf.Tensor2D;
    for (const layer of this.hidden) {
      x = tf.leakyRelu(layer.apply(x), this.dims.leakySlope); // [packs, layerWidth]
      if (dropoutRng !== null && this.dims.dropout > 0) {
        x = tf.mul(x, dropoutMask(dropoutRng, packs, layer.fanOut, this.dims.dropout));
      }
    }
    return this.output.apply(x); // [packs, 1]
  }

  /** Trainable weights: weight and bias of each layer, in order. */
  parameters(): ParameterSet {
    return new ParameterSet([...this.hidden, this.output].flatMap((layer) => layer.parameters()));
  }

  /** Frees every device tensor. */
  dispose(): void {
    this.parameters().dispose();
  }
}
