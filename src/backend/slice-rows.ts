// The contiguous runs of a slice: x[start : start + extent] read as rows along the last axis, in
// row-major order. The wasm and cpu copy kernels (./wasm-copy-kernels.ts, ./cpu-copy-kernels.ts)
// copy each run with one typed-array call instead of one element at a time.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Calls visit(from, length) once per row of the slice, in order: `from` is the row's first
 * element in x's flat row-major values, `length` the slice's extent along the last axis.
 * @param shape x's shape, rank >= 1
 * @param start first index per axis
 * @param extent size per axis (all >= 1)
 */
export function forEachSliceRow(
  shape: readonly number[],
  start: readonly number[],
  extent: readonly number[],
  visit: (from: number, length: number) => void,
): void {
  const rank = shape.length;
  const strides = tf.util.computeStrides([...shape]);
  const length = extent[rank - 1]!;
  const rows = tf.util.sizeFromShape([...extent]) / length;
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0); // position among the rows
  for (let row = 0; row < rows; row++) {
    let from = start[rank - 1]!;
    for (let axis = 0; axis < rank - 1; axis++) {
      from += (start[axis]! + index[axis]!) * strides[axis]!;
    }
    visit(from, length);
    // Advance the row index like an odometer, last axis fastest.
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < extent[axis]!) break;
      index[axis] = 0;
    }
  }
}
