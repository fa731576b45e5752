// Slice and SplitV kernels built on one backend's float32 slice function: the attribute parsing
// and the split into parts are the same for the wasm and the cpu replacements; only how a block
// of rows is copied differs (./wasm-copy-kernels.ts, ./cpu-copy-kernels.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { replaceKernel } from './replace-kernel.ts';

/** x[start : start + extent] as a new float32 tensor on `backend`. */
export type SliceFloat32 = (
  backend: unknown,
  x: TensorInfo,
  start: number[],
  extent: number[],
) => TensorInfo;

/**
 * Replaces `backendName`'s Slice and SplitV kernels by ones that call `slice` for float32
 * tensors of rank >= 1; other tensors keep tfjs's kernels. Idempotent.
 * @throws Error when one of the kernels is not registered
 */
export function replaceSliceKernels(backendName: string, slice: SliceFloat32): void {
  replaceKernel(tf.Slice, backendName, (original) => (args) => {
    const x = args.inputs['x']!;
    if (x.dtype !== 'float32' || x.shape.length === 0) return original(args);
    const { begin, size } = args.attrs as { begin: number[] | number; size: number[] | number };
    const [start, extent] = tf.slice_util.parseSliceParams(
      x as tf.TensorInfo as tf.Tensor,
      begin,
      size,
    );
    return slice(args.backend, x, start, extent);
  });
  replaceKernel(tf.SplitV, backendName, (original) => (args) => {
    const x = args.inputs['x']!;
    if (x.dtype !== 'float32' || x.shape.length === 0) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const dim = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(
      x as tf.TensorInfo as tf.Tensor,
      numOrSizeSplits,
      dim,
    );
    const start = x.shape.map(() => 0);
    return sizes.map((partSize) => {
      const extent = [...x.shape];
      extent[dim] = partSize;
      const part = slice(args.backend, x, [...start], extent);
      start[dim]! += partSize;
      return part;
    });
  });
}
