// The contiguous runs of a slice: x[start : start + extent] in row-major order, as the fewest
// runs of adjacent elements. The wasm and cpu copy kernels (./wasm-copy-kernels.ts,
// ./cpu-copy-kernels.ts) copy each run with one typed-array call instead of one element at a
// time.
import * as tf from '@tensorflow/tfjs-core';

/** Where the runs of a slice start in x's flat values, and how long each is. */
export interface SliceRuns {
  /** First element of each run in x's flat row-major values, in order. */
  starts: Int32Array;
  /** Elements per run, the same for all. */
  length: number;
}

/**
 * The runs of x[start : start + extent]. Trailing axes the slice covers whole join the run
 * (slicing rows of a [500, 672] batch is one run, its columns 500), and the starts come as an
 * array rather than a callback per run, so that the copy loops stay tight.
 * @param shape x's shape, rank >= 1
 * @param start first index per axis
 * @param extent size per axis (all >= 1)
 */
export function sliceRuns(
  shape: readonly number[],
  start: readonly number[],
  extent: readonly number[],
): SliceRuns {
  // `axis` is the innermost axis the slice does not cover whole (or 0); a run spans it and
  // every axis after it. `inner` is the element count of one step along `axis`.
  let axis = shape.length - 1;
  let inner = 1;
  while (axis > 0 && extent[axis] === shape[axis]) {
    inner *= shape[axis]!;
    axis -= 1;
  }
  const strides = [...tf.util.computeStrides([...shape]), 1]; // 1 for the last axis
  const runs = tf.util.sizeFromShape(extent.slice(0, axis));
  const starts = new Int32Array(runs);
  const index = new Array<number>(axis).fill(0); // position among the runs
  for (let run = 0; run < runs; run++) {
    let from = start[axis]! * strides[axis]!;
    for (let outer = 0; outer < axis; outer++) {
      from += (start[outer]! + index[outer]!) * strides[outer]!;
    }
    starts[run] = from;
    // Advance the run index like an odometer, the innermost outer axis fastest.
    for (let outer = axis - 1; outer >= 0; outer--) {
      if (++index[outer]! < extent[outer]!) break;
      index[outer] = 0;
    }
  }
  return { starts, length: extent[axis]! * inner };
}
