// Rows of a matrix picked by index, differentiable with respect to the matrix: the product of a
// one-hot batch with a weight matrix, without the product. A condition vector of CTGAN has a
// single 1, so `cond W` is the row of W at that position; the generator's condition columns
// cost 104 x 672 multiply-adds per row on Adult as a product, and a copy as a gather.
//
// Both directions run in JavaScript on the values read out of the backend: tfjs-wasm's Gather
// kernel is far slower than a copy loop, and its gradient (UnsortedSegmentSum) has no wasm
// kernel. On a GPU backend this moves the matrix and the gathered rows between device and host,
// ~1.6 MB per generator pass on Adult: small beside the optimizer, which reads every weight and
// gradient in JavaScript (~8 MB per step; docs/training.md).
import * as tf from '@tensorflow/tfjs-core';

import { withValues } from '../backend/read-values.ts';

/**
 * out[i] = table[rows[i]]. The gradient with respect to `table` adds dy's row i into row
 * rows[i], in row order (so the sums are the same on every run).
 * @param table [tableRows, width]
 * @param rows one index per output row, each in [0, tableRows)
 * @returns [rows.length, width]
 */
export function gatherRows(table: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const [tableRows, width] = table.shape;
  for (const row of rows) {
    if (!(row >= 0 && row < tableRows)) {
      throw new RangeError(`gatherRows: row ${row} is outside [0, ${tableRows})`);
    }
  }
  const gather = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [source] = inputs as [tf.Tensor2D];
    const out = new Float32Array(rows.length * width);
    withValues([source], ([values]) => {
      for (let i = 0; i < rows.length; i++) {
        const start = rows[i]! * width;
        out.set(values!.subarray(start, start + width), i * width);
      }
    });
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const grad = new Float32Array(tableRows * width);
      const order = Int32Array.from(rows, (_, i) => i); // dy's row i goes to table row rows[i]
      const ones = new Float32Array(rows.length).fill(1);
      withValues([dy], ([dyValues]) => addWeightedRows(dyValues!, order, grad, rows, ones, width));
      return tf.tensor2d(grad, [tableRows, width]);
    };
    return { value: tf.tensor2d(out, [rows.length, width]), gradFunc };
  });
  return gather(table) as tf.Tensor2D;
}

/**
 * target[targetRows[i]] += weights[i] * source[sourceRows[i]] for each i, rows of `width`
 * values, in order. Shared by the gathers' gradients and the critic's condition product. One
 * plain loop over typed arrays, so that V8 compiles it to tight code (a first version with the
 * row arithmetic inline ran ~4 ns per multiply-add).
 */
export function addWeightedRows(
  source: Float32Array,
  sourceRows: Int32Array,
  target: Float32Array,
  targetRows: Int32Array,
  weights: Float32Array,
  width: number,
): void {
  for (let i = 0; i < sourceRows.length; i++) {
    const weight = weights[i]!;
    if (weight === 0) continue;
    const from = sourceRows[i]! * width;
    const to = targetRows[i]! * width;
    for (let j = 0; j < width; j++) target[to + j]! += weight * source[from + j]!;
  }
}
