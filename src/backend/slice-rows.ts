// The contiguous runs of a slice: x[start : start + extent] read as rows along the last axis, in
// row-major order. The wasm and cpu copy kernels (./wasm-copy-kernels.ts, ./cpu-copy-kernels.ts)
// copy each run with one typed-array call instead of one element at a time.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Where each row of the slice starts in x's flat row-major values, in order; every row is
 * `extent[rank - 1]` elements long. (An array rather than a callback per row: a slice of a
 * [500, 672] batch has 500 rows, and the copy loops stay tight.)
 * @param shape x's shape, rank >= 1
 * @param start first index per axis
 * @param extent size per axis (all >= 1)
 */
export function sliceRowStarts(
  shape: readonly number[],
  start: readonly number[],
  extent: readonly number[],
): Int32Array {
  const rank = shape.length;
  const strides = tf.util.computeStrides([...shape]);
  const rows = tf.util.sizeFromShape([...extent]) / extent[rank - 1]!;
  const starts = new Int32Array(rows);
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0); // position among the rows
  for (let row = 0; row < rows; row++) {
    let from = start[rank - 1]!;
    for (let axis = 0; axis < rank - 1; axis++) {
      from += (start[axis]! + index[axis]!) * strides[axis]!;
    }
    starts[row] = from;
    // Advance the row index like an odometer, last axis fastest.
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < extent[axis]!) break;
      index[axis] = 0;
    }
  }
  return starts;
}
