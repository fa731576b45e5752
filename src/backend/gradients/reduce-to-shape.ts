// Shared helper of the gradient functions: undoing a broadcast by summing the gradient over the
// axes that the forward op broadcast, so that it gets the shape of the input again.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums `gradient` down to `shape`, the inverse of broadcasting `shape` up to gradient's shape.
 * @param gradient the gradient of a broadcast result, [...outShape]
 * @param shape the shape of the input that was broadcast
 * @returns a tensor of `shape` (the input itself when no axis was broadcast)
 */
export function reduceToShape(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  if (tf.util.arraysEqual(gradient.shape, shape)) return gradient;
  const axes = tf.broadcast_util.getReductionAxes(shape, gradient.shape);
  const summed = axes.length > 0 ? tf.sum(gradient, axes) : gradient;
  return tf.reshape(summed, shape); // [...shape]
}

/**
 * The shape a reduction keeps when called with keepDims: `shape` with 1 on each reduced axis.
 * @param shape the input's shape
 * @param axes the reduced axes (non-negative)
 */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
}

/**
 * The axes of a reduction attribute (a number, a list, or absent for all) as non-negative ints.
 * @param axis the kernel's axis attribute
 * @param shape the reduced tensor's shape
 */
export function reductionAxes(axis: unknown, shape: number[]): number[] {
  const given = axis === undefined || axis === null ? null : (axis as number | number[]);
  return tf.util.parseAxisParam(given as number | number[], shape);
}
