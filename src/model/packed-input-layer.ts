// The critic's first layer, a Linear over packs of `pac` rows, each row a data row followed by
// its condition vector. Its weight (the model's definition, and the one array checkpoints
// store) has pac * (dataDim + condDim) rows, row k * (dataDim + condDim) + j for column j of
// pack row k. For speed it is kept as two parameters: the data rows of all pack rows,
// [pac * dataDim, fanOut], and their condition rows, [pac * condDim, fanOut]. The data part is
// a product; the condition part, whose vectors hold one or two non-zeros per row, a gather
// (packedConditionProduct). `joinPackedWeights` and `splitPackedWeights` convert state arrays
// between the two forms.
import * as tf from '@tensorflow/tfjs-core';

import { product } from '../backend/gradients/matmul.ts';
import { ShapeMismatchError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { type CriticInput, packedConditionProduct } from './critic-input.ts';
import { Linear } from './linear.ts';
import { type NamedArray, Parameter } from './parameters.ts';

/** The widths that define the layer. */
export interface PackedInputDims {
  dataDim: number;
  /** 0 for tables without discrete columns: the layer is then a plain Linear over the data. */
  condDim: number;
  pac: number;
}

/** Name suffixes of the two parts, after '<name>.' (the joined weight is '<name>.weight'). */
const DATA_PART = 'dataWeight';
const CONDITION_PART = 'conditionWeight';

/** First layer of the critic; owns its parameters. */
export class PackedInputLayer {
  /** [pac * dataDim, fanOut]; named '<name>.weight' when condDim is 0. */
  readonly dataWeight: Parameter;
  /** [pac * condDim, fanOut]; null when condDim is 0. */
  readonly conditionWeight: Parameter | null;
  readonly bias: Parameter;

  /**
   * Initial values are those of a Linear over the whole packed row (drawn in its order from
   * `rng`), split: a seed gives the same network as the plain layer.
   * @param name prefix of the parameter names, e.g. 'discriminator.hidden0'
   */
  constructor(
    readonly name: string,
    readonly dims: PackedInputDims,
    readonly fanOut: number,
    rng: Rng,
  ) {
    const { dataDim, condDim, pac } = dims;
    const plain = new Linear(name, pac * (dataDim + condDim), fanOut, rng);
    this.bias = plain.bias;
    if (condDim === 0) {
      this.dataWeight = plain.weight;
      this.conditionWeight = null;
      return;
    }
    const [data, condition] = splitRows(plain.weight.values, dims, fanOut);
    this.dataWeight = new Parameter(`${name}.${DATA_PART}`, [pac * dataDim, fanOut], data);
    this.conditionWeight = new Parameter(
      `${name}.${CONDITION_PART}`,
      [pac * condDim, fanOut],
      condition,
    );
  }

  /**
   * Pre-activations of packs: packed rows times the weight, plus the bias.
   * @param input batch = packs * pac rows
   * @returns [packs, fanOut]
   */
  apply(input: CriticInput): tf.Tensor2D {
    const { dataDim, condDim, pac } = this.dims;
    const [batch, width] = input.data.shape;
    if (width !== dataDim || batch % pac !== 0 || (input.conditions === null) !== (condDim === 0)) {
      throw new ShapeMismatchError(
        `critic input (${condDim === 0 ? 'no' : condDim} condition columns)`,
        `[k * ${pac}, ${dataDim}]`,
        input.data.shape,
      );
    }
    const conditions = input.conditions;
    if (conditions !== null && conditions.positions.length !== batch * conditions.perRow) {
      throw new ShapeMismatchError(
        `critic condition positions (${conditions.perRow} per row)`,
        [batch * conditions.perRow],
        [conditions.positions.length],
      );
    }
    const packs = batch / pac;
    const data = tf.reshape(input.data, [packs, pac * dataDim]); // [packs, pac * dataDim]
    const terms = tf.add(tf.matMul(data, this.dataWeight.tensor as tf.Tensor2D), this.bias.tensor);
    if (conditions === null) return terms as tf.Tensor2D;
    const condition = this.conditionWeight!.tensor as tf.Tensor2D;
    // [packs, fanOut]
    return tf.add(terms, packedConditionProduct(condition, conditions, pac)) as tf.Tensor2D;
  }

  /**
   * The gradient with respect to the packed input, from the gradient with respect to the
   * pre-activations: dz W^T, [packs, pac * (dataDim + condDim)]. Its columns come in the
   * parameters' order (data columns of all pack rows, then condition columns), not the joined
   * weight's: a norm per pack does not depend on the order.
   * @param dz [packs, fanOut]
   */
  inputGradient(dz: tf.Tensor2D): tf.Tensor2D {
    const data = product(dz, this.dataWeight.tensor, false, true); // [packs, pac * dataDim]
    if (this.conditionWeight === null) return data as tf.Tensor2D;
    const condition = product(dz, this.conditionWeight.tensor, false, true);
    return tf.concat([data, condition], 1) as tf.Tensor2D; // [packs, pac * (dataDim + condDim)]
  }

  /** Parameters: data weight, condition weight (when there are conditions), bias. */
  parameters(): Parameter[] {
    const weights = this.conditionWeight === null ? [] : [this.conditionWeight];
    return [this.dataWeight, ...weights, this.bias];
  }
}

/**
 * State arrays with each pair of split parts (a weight and the optimizer moments of it, named
 * '<prefix>.dataWeight' and '<prefix>.conditionWeight') joined into '<prefix>.weight' in the
 * packed-row order of the model's definition. Other arrays pass unchanged.
 */
export function joinPackedWeights(
  arrays: readonly NamedArray[],
  dims: PackedInputDims,
): NamedArray[] {
  const byName = new Map(arrays.map((entry) => [entry.name, entry]));
  const joined: NamedArray[] = [];
  for (const entry of arrays) {
    if (entry.name.endsWith(`.${CONDITION_PART}`)) continue;
    if (!entry.name.endsWith(`.${DATA_PART}`)) {
      joined.push(entry);
      continue;
    }
    const prefix = entry.name.slice(0, -DATA_PART.length);
    const condition = byName.get(prefix + CONDITION_PART);
    if (condition === undefined) {
      throw new Error(`state array ${entry.name} has no ${prefix + CONDITION_PART} beside it`);
    }
    const fanOut = entry.shape[1]!;
    joined.push({
      name: `${prefix}weight`,
      shape: [entry.shape[0]! + condition.shape[0]!, fanOut],
      values: joinRows(entry.values, condition.values, dims, fanOut),
    });
  }
  return joined;
}

/**
 * The inverse of joinPackedWeights for the weights named `${name}.weight` and arrays named
 * '<anything>.<name>.weight' (optimizer moments): split into the two parts. Does nothing when
 * condDim is 0.
 * @throws ShapeMismatchError when such an array does not have pac * (dataDim + condDim) rows
 */
export function splitPackedWeights(
  arrays: readonly NamedArray[],
  name: string,
  dims: PackedInputDims,
): NamedArray[] {
  if (dims.condDim === 0) return [...arrays];
  const { dataDim, condDim, pac } = dims;
  const weight = `${name}.weight`;
  return arrays.flatMap((entry) => {
    if (entry.name !== weight && !entry.name.endsWith(`.${weight}`)) return [entry];
    const fanOut = entry.shape[1] ?? 0;
    const expected = [pac * (dataDim + condDim), fanOut];
    if (entry.shape.length !== 2 || entry.shape[0] !== expected[0]) {
      throw new ShapeMismatchError(entry.name, expected, entry.shape);
    }
    const prefix = entry.name.slice(0, -'weight'.length);
    const [data, condition] = splitRows(entry.values, dims, fanOut);
    return [
      { name: prefix + DATA_PART, shape: [pac * dataDim, fanOut], values: data },
      { name: prefix + CONDITION_PART, shape: [pac * condDim, fanOut], values: condition },
    ];
  });
}

/** Rows of a joined weight [pac * (dataDim + condDim), fanOut] split into the two parts. */
function splitRows(
  joined: Float32Array,
  { dataDim, condDim, pac }: PackedInputDims,
  fanOut: number,
): [Float32Array, Float32Array] {
  const data = new Float32Array(pac * dataDim * fanOut);
  const condition = new Float32Array(pac * condDim * fanOut);
  const rowWidth = (dataDim + condDim) * fanOut; // one pack row's block of the joined weight
  for (let k = 0; k < pac; k++) {
    const start = k * rowWidth;
    data.set(joined.subarray(start, start + dataDim * fanOut), k * dataDim * fanOut);
    condition.set(
      joined.subarray(start + dataDim * fanOut, start + rowWidth),
      k * condDim * fanOut,
    );
  }
  return [data, condition];
}

/** The inverse of splitRows. */
function joinRows(
  data: Float32Array,
  condition: Float32Array,
  { dataDim, condDim, pac }: PackedInputDims,
  fanOut: number,
): Float32Array {
  const joined = new Float32Array(data.length + condition.length);
  const rowWidth = (dataDim + condDim) * fanOut;
  for (let k = 0; k < pac; k++) {
    const start = k * rowWidth;
    joined.set(data.subarray(k * dataDim * fanOut, (k + 1) * dataDim * fanOut), start);
    joined.set(
      condition.subarray(k * condDim * fanOut, (k + 1) * condDim * fanOut),
      start + dataDim * fanOut,
    );
  }
  return joined;
}
