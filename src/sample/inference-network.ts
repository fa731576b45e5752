// The generator rebuilt for sampling only, from a GeneratorExport: each BatchNorm (on its
// running statistics) folded into the Linear before it, and the condition vector's product with
// every weight matrix replaced by a row lookup, since the vector is one-hot. Same logits as
// Generator.applyInference up to float32 rounding, with ~23 % fewer multiply-adds on Adult
// (the condition rows of the three weight matrices: 104 x (256 + 256 + 157) of 301k per row).
import * as tf from '@tensorflow/tfjs-core';

import type { GeneratorExport } from '../model/trained-generator.ts';
import type { NamedArray } from '../model/parameters.ts';
import { CheckpointError } from '../util/errors.ts';

/** BatchNorm's epsilon, PyTorch's default, as src/model/batch-norm.ts uses it. */
const BATCH_NORM_EPSILON = 1e-5;

/**
 * The condition of each row: per row the position of its 1 in the condition vector
 * (condStart + category of its column), or one position shared by every row, or null when
 * the table has no discrete column.
 */
export type ConditionIndex = Int32Array | number | null;

/** One affine layer x W + b as plain arrays, with the condition vector's rows split off. */
interface FoldedArrays {
  /** [inputs without the condition, outputs], BatchNorm folded in, row-major. */
  weight: Float32Array;
  /** [outputs], BatchNorm folded in. */
  bias: Float32Array;
  /** [condDim, outputs]: the condition rows of the weight plus the bias, row-major. */
  conditionRows: Float32Array;
  outputs: number;
  relu: boolean;
}

/** A folded layer with its device copies. */
interface FoldedLayer extends FoldedArrays {
  /** [inputs without the condition, outputs] */
  weightTensor: tf.Tensor2D;
  /** [outputs] */
  biasTensor: tf.Tensor1D;
}

/** An inference-only generator on the active tfjs backend. Call dispose() when done. */
export class InferenceNetwork {
  private constructor(
    readonly noiseDim: number,
    readonly condDim: number,
    /** Width of a row of logits: the data row's width, or more (unused padding columns). */
    readonly logitWidth: number,
    private readonly blocks: FoldedLayer[],
    private readonly output: FoldedLayer,
  ) {}

  /**
   * Builds the folded network from exported weights (as TrainedGenerator.toExport writes them).
   * @throws CheckpointError naming the weight that is missing or has the wrong shape
   */
  static fromExport(exported: GeneratorExport): InferenceNetwork {
    const weights = new Map(exported.weights.map((entry) => [entry.name, entry]));
    const { noiseDim } = exported.model;
    const { condDim, dataDim } = exported.layout;
    const blocks: FoldedArrays[] = [];
    let width = noiseDim + condDim;
    exported.model.generatorDims.forEach((blockWidth, index) => {
      const name = `generator.block${index}`;
      const norm = (part: string): Float32Array =>
        find(weights, `${name}.norm.${part}`, [blockWidth]).values;
      const { scale, shift } = foldedNorm(
        norm('gamma'),
        norm('beta'),
        norm('movingMean'),
        norm('movingVariance'),
      );
      const weight = find(weights, `${name}.linear.weight`, [width, blockWidth]).values;
      const bias = find(weights, `${name}.linear.bias`, [blockWidth]).values;
      blocks.push(foldLayer(weight, bias, width, blockWidth, condDim, scale, shift, true));
      width += blockWidth;
    });
    // The output layer may be wider than a data row (OutputPlan's logitWidth pads it).
    const logitWidth = weights.get('generator.output.bias')?.shape[0] ?? dataDim;
    if (logitWidth < dataDim) find(weights, 'generator.output.bias', [dataDim]);
    const weight = find(weights, 'generator.output.weight', [width, logitWidth]).values;
    const bias = find(weights, 'generator.output.bias', [logitWidth]).values;
    const output = foldLayer(weight, bias, width, logitWidth, condDim, null, null, false);
    // Device copies only once every weight has been found, so a bad bundle leaks no tensor.
    return new InferenceNetwork(noiseDim, condDim, logitWidth, blocks.map(upload), upload(output));
  }

  /**
   * The generator's logits for `rows` rows, before the output activations, in the model's
   * internal column order (see OutputPlan).
   * @param noise [rows, noiseDim] standard normal draws, row-major
   * @param condition the rows' conditions (see ConditionIndex)
   * @param rows number of rows
   * @returns [rows, logitWidth] row-major, a fresh array (transferable)
   */
  logits(noise: Float32Array, condition: ConditionIndex, rows: number): Float32Array {
    if (noise.length !== rows * this.noiseDim) {
      throw new Error(
        `InferenceNetwork: noise has ${noise.length} values, not ${rows} x ${this.noiseDim}`,
      );
    }
    // One tidy per layer, and each layer's input freed once used: the device memory then holds
    // about two layers' tensors instead of all of them (a third of the peak at Adult's sizes).
    let x: tf.Tensor2D = tf.tensor2d(noise, [rows, this.noiseDim]); // [rows, noiseDim]
    for (const block of this.blocks) {
      const input = x;
      x = tf.tidy(() => {
        const hidden = this.affine(block, input, condition, rows); // [rows, blockWidth]
        return tf.concat([hidden, input], 1); // [rows, blockWidth + previous width]
      });
      input.dispose();
    }
    const input = x;
    const result = tf.tidy(() => this.affine(this.output, input, condition, rows));
    input.dispose(); // result: [rows, logitWidth]
    const values = result.dataSync() as Float32Array;
    result.dispose();
    return values.length === rows * this.logitWidth ? values : values.slice();
  }

  /** Frees the weight tensors. */
  dispose(): void {
    for (const layer of [...this.blocks, this.output]) {
      layer.weightTensor.dispose();
      layer.biasTensor.dispose();
    }
  }

  /**
   * x W + b (+ the condition's row of W), then relu for blocks.
   * @param x [rows, inputs without the condition]
   * @returns [rows, layer.outputs]
   */
  private affine(
    layer: FoldedLayer,
    x: tf.Tensor2D,
    condition: ConditionIndex,
    rows: number,
  ): tf.Tensor2D {
    const activation = layer.relu ? 'relu' : 'linear';
    if (condition === null || this.condDim === 0) {
      return tf.fused.matMul({
        a: x,
        b: layer.weightTensor,
        bias: layer.biasTensor,
        activation,
      }) as tf.Tensor2D;
    }
    const width = layer.outputs;
    if (typeof condition === 'number') {
      // One condition for all rows: its weight row is a bias like any other.
      const bias = layer.conditionRows.subarray(condition * width, (condition + 1) * width);
      const biasTensor = tf.tensor1d(bias);
      return tf.fused.matMul({
        a: x,
        b: layer.weightTensor,
        bias: biasTensor,
        activation,
      }) as tf.Tensor2D;
    }
    // Per-row condition: gather its rows here (tfjs-wasm's gather kernel is ~50x slower).
    const gathered = new Float32Array(rows * width);
    for (let row = 0; row < rows; row++) {
      const at = condition[row]! * width;
      gathered.set(layer.conditionRows.subarray(at, at + width), row * width);
    }
    const sum = tf.add(tf.matMul(x, layer.weightTensor), tf.tensor2d(gathered, [rows, width]));
    return (layer.relu ? tf.relu(sum) : sum) as tf.Tensor2D;
  }
}

/** The weight named `name`, checked against `shape`. */
function find(weights: Map<string, NamedArray>, name: string, shape: number[]): NamedArray {
  const entry = weights.get(name);
  const actual = entry === undefined ? 'missing' : `[${entry.shape.join(', ')}]`;
  if (entry === undefined || entry.shape.join() !== shape.join()) {
    throw new CheckpointError(
      `the model's generator weight ${name} is ${actual}, expected [${shape.join(', ')}] ` +
        'for its model config and layout: the bundle is damaged or from another tabsynth; ' +
        'retrain or use the matching tabsynth.',
    );
  }
  return entry;
}

/** BatchNorm on running statistics as y = x * scale + shift, computed in float64. */
function foldedNorm(
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): { scale: Float64Array; shift: Float64Array } {
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let j = 0; j < gamma.length; j++) {
    scale[j] = gamma[j]! / Math.sqrt(variance[j]! + BATCH_NORM_EPSILON);
    shift[j] = beta[j]! - mean[j]! * scale[j]!;
  }
  return { scale, shift };
}

/**
 * Splits a Linear (weight [inputs, outputs], the condition's rows last) and folds a following
 * BatchNorm into it: W' = W * scale, b' = b * scale + shift, per output column.
 */
function foldLayer(
  weight: Float32Array,
  bias: Float32Array,
  inputs: number,
  outputs: number,
  condDim: number,
  scale: Float64Array | null,
  shift: Float64Array | null,
  relu: boolean,
): FoldedArrays {
  const folded = new Float32Array(weight.length); // [inputs, outputs]
  const foldedBias = new Float32Array(outputs);
  for (let j = 0; j < outputs; j++) {
    const s = scale === null ? 1 : scale[j]!;
    foldedBias[j] = bias[j]! * s + (shift === null ? 0 : shift[j]!);
    for (let i = 0; i < inputs; i++) folded[i * outputs + j] = weight[i * outputs + j]! * s;
  }
  const plainInputs = inputs - condDim;
  const conditionRows = folded.slice(plainInputs * outputs); // [condDim, outputs]
  for (let k = 0; k < condDim; k++) {
    for (let j = 0; j < outputs; j++) conditionRows[k * outputs + j]! += foldedBias[j]!;
  }
  return {
    weight: folded.subarray(0, plainInputs * outputs),
    bias: foldedBias,
    conditionRows,
    outputs,
    relu,
  };
}

/** The layer with device copies of its weight and bias (kept out of every tidy). */
function upload(layer: FoldedArrays): FoldedLayer {
  const inputs = layer.weight.length / layer.outputs;
  return {
    ...layer,
    weightTensor: tf.keep(tf.tensor2d(layer.weight, [inputs, layer.outputs])),
    biasTensor: tf.keep(tf.tensor1d(layer.bias)),
  };
}
