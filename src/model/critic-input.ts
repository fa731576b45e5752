// The critic's input: data rows as a dense tensor, condition vectors as a few weighted positions
// per row. A condition vector of CTGAN has a single 1 (real and generated rows), or, in the
// gradient penalty, the mix a c_real + (1 - a) c_fake of two such vectors; so the product of a
// pack's condition columns with the critic's first weight is a weighted sum of a few of its
// rows, which `packedConditionProduct` computes as a gather instead of a product. On Adult the
// condition columns are 49% of each packed input (171 of 348 per row).
import * as tf from '@tensorflow/tfjs-core';

import { withValues } from '../backend/read-values.ts';
import { ShapeMismatchError } from '../util/errors.ts';
import { addWeightedRows } from './gather-rows.ts';

/** Condition vectors of a batch as weighted positions, `perRow` entries per row. */
export interface ConditionTerms {
  /** Entries per row: 1 for real and generated rows, 2 for interpolated ones. */
  perRow: number;
  /** [rows * perRow] position of each entry in its condition vector, in [0, condDim). */
  positions: Int32Array;
  /** [rows * perRow] value of each entry (entries at the same position add up). */
  weights: Float32Array;
}

/** Rows for the critic before packing. */
export interface CriticInput {
  /** [batch, dataDim] data rows, internal column order. */
  data: tf.Tensor2D;
  /** The rows' condition vectors; null when the table has none (condDim 0). */
  conditions: ConditionTerms | null;
}

/** One-hot condition vectors: a 1 at positions[row]. */
export function oneHotTerms(positions: Int32Array): ConditionTerms {
  return { perRow: 1, positions, weights: new Float32Array(positions.length).fill(1) };
}

/** The rows of `first`, then those of `second`, for one critic pass over both. */
export function concatInputs(first: CriticInput, second: CriticInput): CriticInput {
  const data = tf.concat([first.data, second.data], 0) as tf.Tensor2D;
  if (first.conditions === null || second.conditions === null) {
    return { data, conditions: null };
  }
  if (first.conditions.perRow !== second.conditions.perRow) {
    throw new ShapeMismatchError(
      'condition entries per row',
      [first.conditions.perRow],
      [second.conditions.perRow],
    );
  }
  const join = <T extends Int32Array | Float32Array>(a: T, b: T, out: T): T => {
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const { positions: p1, weights: w1 } = first.conditions;
  const { positions: p2, weights: w2 } = second.conditions;
  return {
    data,
    conditions: {
      perRow: first.conditions.perRow,
      positions: join(p1, p2, new Int32Array(p1.length + p2.length)),
      weights: join(w1, w2, new Float32Array(w1.length + w2.length)),
    },
  };
}

/**
 * a real + (1 - a) fake, with one weight a per pack of `pac` rows (the gradient penalty's
 * interpolation): data rows mixed densely, condition vectors as the entries of both, weighted.
 * @param packWeights [batch / pac]
 */
export function interpolateInputs(
  real: CriticInput,
  fake: CriticInput,
  packWeights: Float32Array,
  pac: number,
): CriticInput {
  const [batch, width] = real.data.shape;
  if (fake.data.shape[0] !== batch || fake.data.shape[1] !== width) {
    throw new ShapeMismatchError('interpolated fake rows', real.data.shape, fake.data.shape);
  }
  if (packWeights.length * pac !== batch) {
    throw new ShapeMismatchError('pack weights', [batch / pac], [packWeights.length]);
  }
  const rowWeights = new Float32Array(batch); // each pack's weight repeated for its rows
  for (let row = 0; row < batch; row++) rowWeights[row] = packWeights[Math.floor(row / pac)]!;
  const alpha = tf.tensor2d(rowWeights, [batch, 1]);
  const data = tf.add(tf.mul(real.data, alpha), tf.mul(fake.data, tf.sub(1, alpha))) as tf.Tensor2D;
  if (real.conditions === null || fake.conditions === null) return { data, conditions: null };

  const r = real.conditions;
  const f = fake.conditions;
  const perRow = r.perRow + f.perRow;
  const positions = new Int32Array(batch * perRow);
  const weights = new Float32Array(batch * perRow);
  for (let row = 0; row < batch; row++) {
    const a = rowWeights[row]!;
    const rest = Math.fround(1 - a);
    let at = row * perRow;
    for (let j = 0; j < r.perRow; j++, at++) {
      positions[at] = r.positions[row * r.perRow + j]!;
      weights[at] = r.weights[row * r.perRow + j]! * a;
    }
    for (let j = 0; j < f.perRow; j++, at++) {
      positions[at] = f.positions[row * f.perRow + j]!;
      weights[at] = f.weights[row * f.perRow + j]! * rest;
    }
  }
  return { data, conditions: { perRow, positions, weights } };
}

/**
 * The condition columns' part of the critic's first layer: for each pack p of `pac` rows,
 * sum over its rows k and their entries (position c, weight w) of w * table[k condDim + c].
 * Equal to the product of the packed condition vectors [packs, pac condDim] with `table`, up to
 * float rounding. The gradient with respect to `table` adds w dy[p] into those rows, in a fixed
 * order (so the sums are the same on every run).
 *
 * Both directions run in JavaScript on values read out of the backend, like gatherRows (which
 * says why). The gradient is not itself differentiable: the gradient penalty never needs it,
 * since the penalty reaches the first layer's weights only through the input gradient's
 * product, not through this forward term.
 * @param table [pac * condDim, fanOut], rows of pack row k at k * condDim
 * @param terms the batch's condition vectors, batch = packs * pac
 * @returns [packs, fanOut]
 */
export function packedConditionProduct(
  table: tf.Tensor2D,
  terms: ConditionTerms,
  pac: number,
): tf.Tensor2D {
  const fanOut = table.shape[1];
  const condDim = table.shape[0] / pac;
  const { perRow, positions, weights } = terms;
  const rows = positions.length / perRow;
  if (!Number.isInteger(condDim)) {
    throw new ShapeMismatchError(
      'packed condition weight',
      `[${pac} * condDim, fanOut]`,
      table.shape,
    );
  }
  if (!Number.isInteger(rows) || rows % pac !== 0 || weights.length !== positions.length) {
    throw new ShapeMismatchError(
      `condition entries (${perRow} per row, ${pac} rows per pack)`,
      `[k * ${perRow * pac}] positions and weights`,
      [positions.length, weights.length],
    );
  }
  for (const position of positions) {
    if (!(position >= 0 && position < condDim)) {
      throw new RangeError(`condition position ${position} is outside [0, ${condDim})`);
    }
  }
  const packs = rows / pac;
  // Per entry: its row of the table (that of its row within the pack, row mod pac) and its pack.
  const tableRows = new Int32Array(positions.length);
  const packOf = new Int32Array(positions.length);
  for (let entry = 0; entry < positions.length; entry++) {
    const row = Math.floor(entry / perRow);
    tableRows[entry] = (row % pac) * condDim + positions[entry]!;
    packOf[entry] = Math.floor(row / pac);
  }

  const product = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [source] = inputs as [tf.Tensor2D];
    const out = new Float32Array(packs * fanOut);
    withValues([source], ([values]) => {
      addWeightedRows(values!, tableRows, out, packOf, weights, fanOut);
    });
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const grad = new Float32Array(table.shape[0] * fanOut);
      withValues([dy], ([dyValues]) => {
        addWeightedRows(dyValues!, packOf, grad, tableRows, weights, fanOut);
      });
      return tf.tensor2d(grad, table.shape);
    };
    return { value: tf.tensor2d(out, [packs, fanOut]), gradFunc };
  });
  return product(table) as tf.Tensor2D;
}
