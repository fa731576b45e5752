// CTGAN's generator (Xu et al. 2019, and the Python reference): residual blocks of Linear,
// BatchNorm1d and ReLU whose output is concatenated with the block's input, then a Linear layer
// to the data width. Its input is noise concatenated with the condition vector.
import * as tf from '@tensorflow/tfjs-core';

import { ShapeMismatchError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { BatchNorm } from './batch-norm.ts';
import { Linear } from './linear.ts';
import { type NamedArray, ParameterSet } from './parameters.ts';

/** The sizes that define a generator. */
export interface GeneratorDims {
  /** Width of the noise input (model.noiseDim). */
  noiseDim: number;
  /** Width of the condition vector (layout.condDim); 0 for tables without discrete columns. */
  condDim: number;
  /** Width of the output logits: layout.dataDim padded by OutputPlan's logitWidth. */
  outputDim: number;
  /** Widths of the residual blocks (model.generatorDims). */
  generatorDims: number[];
}

/** One residual block: relu(batchNorm(linear(x))) concatenated with x. */
interface ResidualBlock {
  linear: Linear;
  norm: BatchNorm;
}

/** The generator network. Owns its parameters; call dispose() when done. */
export class Generator {
  private readonly blocks: ResidualBlock[];
  private readonly output: Linear;

  /**
   * @param dims network sizes
   * @param rng draws the initial weights (block by block, then the output layer)
   */
  constructor(
    readonly dims: GeneratorDims,
    rng: Rng,
  ) {
    let width = dims.noiseDim + dims.condDim;
    this.blocks = dims.generatorDims.map((blockWidth, index) => {
      const name = `generator.block${index}`;
      const block = {
        linear: new Linear(`${name}.linear`, width, blockWidth, rng),
        norm: new BatchNorm(`${name}.norm`, blockWidth),
      };
      width += blockWidth;
      return block;
    });
    this.output = new Linear('generator.output', width, dims.outputDim, rng);
  }

  /**
   * A generator with given weights (as `parameters().toArrays()` and `buffers().toArrays()`
   * returned them), e.g. from a model bundle.
   * @throws ShapeMismatchError when a weight is missing or has another shape
   */
  static fromWeights(dims: GeneratorDims, weights: readonly NamedArray[]): Generator {
    const generator = new Generator(dims, new Rng(0));
    generator.parameters().load(weights);
    generator.buffers().load(weights);
    return generator;
  }

  /**
   * Training pass: BatchNorm on batch statistics, which are kept until commitStatistics().
   * @param noise [batch, noiseDim]
   * @param cond [batch, condDim], or null when condDim is 0
   * @returns logits [batch, outputDim], before the output activations
   */
  applyTraining(noise: tf.Tensor2D, cond: tf.Tensor2D | null): tf.Tensor2D {
    return this.apply(noise, cond, (block, x) => block.norm.applyTraining(block.linear.apply(x)));
  }

  /**
   * Inference pass: BatchNorm on the running statistics, so that a row does not depend on the
   * other rows of its batch.
   * @param noise [batch, noiseDim]
   * @param cond [batch, condDim], or null when condDim is 0
   * @returns logits [batch, outputDim]
   */
  applyInference(noise: tf.Tensor2D, cond: tf.Tensor2D | null): tf.Tensor2D {
    return this.apply(noise, cond, (block, x) => block.norm.applyInference(block.linear.apply(x)));
  }

  /** Trainable weights: per block linear weight, bias, norm gamma, beta; then the output's. */
  parameters(): ParameterSet {
    const blockParameters = this.blocks.flatMap((block) => [
      ...block.linear.parameters(),
      ...block.norm.parameters(),
    ]);
    return new ParameterSet([...blockParameters, ...this.output.parameters()]);
  }

  /** BatchNorm running statistics. */
  buffers(): ParameterSet {
    return new ParameterSet(this.blocks.flatMap((block) => block.norm.buffers()));
  }

  /** Folds the batch statistics of training passes since the last call into the running ones. */
  commitStatistics(): void {
    for (const block of this.blocks) block.norm.commitStatistics();
  }

  /** Forgets the batch statistics of training passes (an undone step). */
  discardStatistics(): void {
    for (const block of this.blocks) block.norm.discardStatistics();
  }

  /** Frees every device tensor. */
  dispose(): void {
    for (const block of this.blocks) {
      block.norm.dispose();
      for (const parameter of block.linear.parameters()) parameter.dispose();
    }
    for (const parameter of this.output.parameters()) parameter.dispose();
  }

  private apply(
    noise: tf.Tensor2D,
    cond: tf.Tensor2D | null,
    normalized: (block: ResidualBlock, x: tf.Tensor2D) => tf.Tensor2D,
  ): tf.Tensor2D {
    const batch = noise.shape[0];
    if (noise.shape[1] !== this.dims.noiseDim) {
      throw new ShapeMismatchError('generator noise', [batch, this.dims.noiseDim], noise.shape);
    }
    const condWidth = cond === null ? 0 : cond.shape[1];
    if (condWidth !== this.dims.condDim || (cond !== null && cond.shape[0] !== batch)) {
      throw new ShapeMismatchError(
        'generator cond',
        [batch, this.dims.condDim],
        cond?.shape ?? [batch, 0],
      );
    }

    let x = cond === null ? noise : tf.concat([noise, cond], 1); // [batch, noiseDim + condDim]
    for (const block of this.blocks) {
      const hidden = tf.relu(normalized(block, x)); // [batch, blockWidth]
      x = tf.concat([hidden, x], 1); // [batch, blockWidth + previous width]
    }
    return this.output.apply(x); // [batch, outputDim]
  }
}
