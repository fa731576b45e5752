// CTGAN's generator (Xu et al. 2019, and the Python reference): residual blocks of Linear,
// BatchNorm1d and ReLU whose output is concatenated with the block's input, then a Linear layer
// to the data width. Its input is noise concatenated with the condition vector.
import * as tf from '@tensorflow/tfjs-core';

import { ShapeMismatchError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { BatchNorm } from './batch-norm.ts';
import { gatherRows } from './gather-rows.ts';
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
   * @param hot per row, the position of the 1 in its condition vector (in [0, condDim)); null
   *   when condDim is 0
   * @returns logits [batch, outputDim], before the output activations
   */
  applyTraining(noise: tf.Tensor2D, hot: Int32Array | null): tf.Tensor2D {
    return this.apply(noise, hot, (block, linear) => block.norm.applyTraining(linear));
  }

  /**
   * Inference pass: BatchNorm on the running statistics, so that a row does not depend on the
   * other rows of its batch.
   * @param noise [batch, noiseDim]
   * @param hot as for applyTraining
   * @returns logits [batch, outputDim]
   */
  applyInference(noise: tf.Tensor2D, hot: Int32Array | null): tf.Tensor2D {
    return this.apply(noise, hot, (block, linear) => block.norm.applyInference(linear));
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

  /**
   * The network on [noise, cond]. Each layer's input is the newer blocks' outputs followed by
   * [noise, cond] (the residual concatenations), so every weight matrix has rows for the hidden
   * features, then noiseDim noise rows, then condDim condition rows. The noise and condition
   * rows and the biases of all layers are applied at once, before the blocks: one product for
   * the noise and a row gather for the one-hot condition. Only the hidden rows are multiplied
   * per layer, which also spares the backward pass the input gradients of noise and condition,
   * which nothing uses. The result equals the plain concatenate-and-multiply network up to
   * float rounding (test/model/generator.test.ts).
   */
  private apply(
    noise: tf.Tensor2D,
    hot: Int32Array | null,
    normalized: (block: ResidualBlock, linear: tf.Tensor2D) => tf.Tensor2D,
  ): tf.Tensor2D {
    const { noiseDim, condDim } = this.dims;
    const batch = noise.shape[0];
    if (noise.shape[1] !== noiseDim) {
      throw new ShapeMismatchError('generator noise', [batch, noiseDim], noise.shape);
    }
    // One condition position per row; none at all when the table has no discrete column.
    const positions = hot === null ? [] : [hot.length];
    if (!tf.util.arraysEqual(positions, condDim === 0 ? [] : [batch])) {
      throw new ShapeMismatchError(
        `generator condition positions (condDim ${condDim})`,
        condDim === 0 ? [] : [batch],
        positions,
      );
    }

    const layers = [...this.blocks.map((block) => block.linear), this.output];
    // Rows of a layer's weight below its hidden rows: [noiseDim or condDim, fanOut] each.
    const inputRows = (layer: Linear, offset: number, count: number): tf.Tensor2D => {
      const hiddenRows = layer.fanIn - noiseDim - condDim;
      return tf.slice(layer.weight.tensor as tf.Tensor2D, [hiddenRows + offset, 0], [count, -1]);
    };
    const noiseWeights = tf.concat(
      layers.map((layer) => inputRows(layer, 0, noiseDim)),
      1,
    );
    const biases = tf.concat(layers.map((layer) => layer.bias.tensor)); // [sum of fanOut]
    let inputTerms = tf.add(tf.matMul(noise, noiseWeights), biases); // [batch, sum of fanOut]
    if (hot !== null) {
      const condWeights = tf.concat(
        layers.map((layer) => inputRows(layer, noiseDim, condDim)),
        1,
      ); // [condDim, sum of fanOut]
      inputTerms = tf.add(inputTerms, gatherRows(condWeights, hot));
    }
    const terms = tf.split(
      inputTerms,
      layers.map((layer) => layer.fanOut),
      1,
    ) as tf.Tensor2D[]; // [batch, fanOut] per layer

    let hidden: tf.Tensor2D | null = null; // [batch, widths so far], the newest block first
    this.blocks.forEach((block, index) => {
      const linear = hiddenProduct(block.linear, hidden, terms[index]!); // [batch, blockWidth]
      const features = tf.relu(normalized(block, linear));
      hidden = hidden === null ? features : tf.concat([features, hidden], 1);
    });
    return hiddenProduct(this.output, hidden, terms[this.blocks.length]!); // [batch, outputDim]
  }
}

/**
 * A layer's output from the terms of its noise, condition and bias: hidden W_hidden + terms.
 * @param hidden [batch, hiddenRows], or null for the first layer (which has no hidden rows)
 * @param terms [batch, fanOut]
 */
function hiddenProduct(layer: Linear, hidden: tf.Tensor2D | null, terms: tf.Tensor2D) {
  if (hidden === null) return terms;
  const rows = hidden.shape[1];
  const weight = tf.slice(layer.weight.tensor as tf.Tensor2D, [0, 0], [rows, -1]);
  return tf.add(tf.matMul(hidden, weight), terms) as tf.Tensor2D;
}
