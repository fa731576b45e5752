// Gradient of BatchMatMul. On wasm it runs explicit transposes and plain products only, in the
// cheaper orientation; other backends get transposed products, which their kernels handle.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

import { reduceToShape } from './reduce-to-shape.ts';

type Saved = tf.Tensor[];

// On the wasm backend a product with transposeA or transposeB falls back from XNNPACK to a
// naive loop that runs ~15x slower (1.2-1.7 vs 20 GFLOP/s for 500x744x256), and tfjs-core's
// own gradient uses such products, which made every backward pass crawl.

/**
 * Data of tensors used as the right operand of forward products (weights), whose XNNPACK
 * packing tfjs's wasm backend caches per data id: packing them again costs nothing.
 */
const packedData = new WeakSet<object>();

/**
 * Marks `tensor` as a weight that forward products take as their right operand, so that the
 * wasm gradient counts its packing as free (clones share its data, and so its packing).
 */
export function markPackedOperand(tensor: tf.Tensor): void {
  packedData.add(tensor.dataId);
}

/** Swaps the last two axes: [..., m, n] -> [..., n, m]. */
export function swapLastAxes(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, axis) => axis);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [perm[last]!, perm[last - 1]!];
  return tf.transpose(x, perm);
}

/**
 * op(x) op(y), where op transposes the last two axes when its flag is set.
 *
 * On wasm, with explicit transposes only. XNNPACK packs the right operand of every product into
 * its own layout (~5 ns per element; tfjs caches the packing per tensor, which only helps for
 * weights), and wasm's Transpose kernel costs ~6-10 ns per element. So the product is computed
 * either directly, op(x) op(y), or as (op(y)^T op(x)^T)^T, whichever transposes and packs fewer
 * elements. Example: the critic's input gradient dy W^T with dy [50, 256] and W [2530, 256]
 * costs 1.3M element moves directly but 0.15M as (W dy^T)^T.
 */
export function product(
  x: tf.Tensor,
  y: tf.Tensor,
  transposeX: boolean,
  transposeY: boolean,
): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.matMul(x, y, transposeX, transposeY);

  const rank = x.rank;
  const outRows = x.shape[transposeX ? rank - 1 : rank - 2]!;
  const outCols = y.shape[transposeY ? rank - 2 : rank - 1]!;
  const batch = Math.max(batchSize(x), batchSize(y));
  const outSize = outRows * outCols * batch;
  // Packing the right operand is free when it is a weight used as such (`markPackedOperand`)
  // and not transposed first (a transpose makes new data).
  const packY = !transposeY && packedData.has(y.dataId) ? 0 : y.size;
  const packX = transposeX && packedData.has(x.dataId) ? 0 : x.size;
  const direct = (transposeX ? x.size : 0) + (transposeY ? y.size : 0) + packY;
  const swapped = (transposeY ? 0 : y.size) + (transposeX ? 0 : x.size) + packX + outSize;

  if (direct <= swapped) {
    return tf.matMul(transposeX ? swapLastAxes(x) : x, transposeY ? swapLastAxes(y) : y);
  }
  const left = transposeY ? y : swapLastAxes(y); // op(y)^T
  const right = transposeX ? x : swapLastAxes(x); // op(x)^T
  return swapLastAxes(tf.matMul(left, right));
}

/** Product of the batch axes (all but the last two). */
function batchSize(x: tf.Tensor): number {
  return x.shape.slice(0, -2).reduce((product, size) => product * size, 1);
}

/**
 * For C = op(A) op(B):
 * - C = A B:     dA = dC B^T,    dB = A^T dC
 * - C = A B^T:   dA = dC B,      dB = dC^T A
 * - C = A^T B:   dA = B dC^T,    dB = A dC
 * - C = A^T B^T: dA = B^T dC^T,  dB = dC^T A^T
 * Batch axes that were broadcast are summed back.
 */
const batchMatMul: GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved: Saved, attrs: NamedAttrMap) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    const dc = dy as tf.Tensor;
    let gradA: () => tf.Tensor;
    let gradB: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      gradA = () => product(dc, b, false, true);
      gradB = () => product(a, dc, true, false);
    } else if (!transposeA && transposeB) {
      gradA = () => product(dc, b, false, false);
      gradB = () => product(dc, a, true, false);
    } else if (transposeA && !transposeB) {
      gradA = () => product(b, dc, false, true);
      gradB = () => product(a, dc, false, false);
    } else {
      gradA = () => product(b, dc, true, true);
      gradB = () => product(dc, a, true, true);
    }
    return {
      a: () => reduceToShape(gradA(), a.shape),
      b: () => reduceToShape(gradB(), b.shape),
    };
  },
};

/** The matrix-product gradient. */
export const MATMUL_GRADIENTS: readonly GradConfig[] = [batchMatMul];
