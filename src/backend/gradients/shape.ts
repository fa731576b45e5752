// Gradients of the kernels that only move data: reshape, transpose, concat, slice, pad, tile.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];

/** reshape: dy reshaped back. */
const reshape: GradConfig = {
  kernelName: tf.Reshape,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.reshape(dy as tf.Tensor, x.shape) };
  },
};

/** transpose by perm: dy transposed by the inverse permutation. */
const transpose: GradConfig = {
  kernelName: tf.Transpose,
  gradFunc: (dy, _saved: Saved, attrs: NamedAttrMap) => {
    const perm = attrs['perm'] as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((source, target) => {
      inverse[source] = target;
    });
    return { x: () => tf.transpose(dy as tf.Tensor, inverse) };
  },
};

/** concat along axis: each input receives its part of dy, cut by one split (SplitV) kernel. */
const concat: GradConfig = {
  kernelName: tf.Concat,
  saveAllInputs: true,
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const axis = tf.util.parseAxisParam(attrs['axis'] as number, saved[0]!.shape)[0]!;
    const sizes = saved.map((input) => input.shape[axis]!);
    // Split once, here: the engine evaluates each input's gradient inside a tidy of its own,
    // which would free parts made there before the other inputs got them.
    const parts = tf.split(dy as tf.Tensor, sizes, axis);
    const result: Record<string, () => tf.Tensor> = {};
    parts.forEach((part, index) => {
      result[index] = () => part;
    });
    return result;
  },
};

/** split along axis: dy of each part, concatenated (zeros for parts outside the graph). */
const splitV: GradConfig = {
  kernelName: tf.SplitV,
  gradFunc: (dys, _saved: Saved, attrs: NamedAttrMap) => {
    const parts = dys as tf.Tensor[];
    const axis = tf.util.parseAxisParam(attrs['axis'] as number, parts[0]!.shape)[0]!;
    return { x: () => tf.concat(parts, axis) };
  },
};

/** slice: dy padded with zeros back to the input's shape. */
const slice: GradConfig = {
  kernelName: tf.Slice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const begin = attrs['begin'] as number[];
    const gradient = dy as tf.Tensor;
    const paddings = x.shape.map((size, dim): [number, number] => [
      begin[dim]!,
      size - begin[dim]! - gradient.shape[dim]!,
    ]);
    return { x: () => tf.pad(gradient, paddings) };
  },
};

/** pad: the slice of dy that covers the input. */
const pad: GradConfig = {
  kernelName: tf.PadV2,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const paddings = attrs['paddings'] as Array<[number, number]>;
    const begin = paddings.map((padding) => padding[0]);
    return { x: () => tf.slice(dy as tf.Tensor, begin, x.shape) };
  },
};

/**
 * tile by reps: the sum of dy over the copies. dy [r0*s0, r1*s1, ...] is viewed as
 * [r0, s0, r1, s1, ...] and summed over the even axes.
 */
const tile: GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const reps = attrs['reps'] as number[];
    const split = x.shape.flatMap((size, dim) => [reps[dim]!, size]);
    const copyAxes = x.shape.map((_, dim) => 2 * dim);
    return {
      x: () => tf.reshape(tf.sum(tf.reshape(dy as tf.Tensor, split), copyAxes), x.shape),
    };
  },
};

/** Gradients of the data-movement kernels. */
export const SHAPE_GRADIENTS: readonly GradConfig[] = [
  reshape,
  transpose,
  concat,
  splitV,
  slice,
  pad,
  tile,
];
