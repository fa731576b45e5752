// Makes the wasm backend's products with transposeA/transposeB fast: the wasm kernel sends them
// to a naive loop, ~15x slower than XNNPACK (1.2-1.7 vs 20 GFLOP/s for 500x744x256). The
// replacement kernels transpose the operand explicitly, then run the plain XNNPACK product.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

import { replaceKernel } from './replace-kernel.ts';

/** The kernels whose transposed variants are replaced. */
const PRODUCT_KERNELS = [tf.BatchMatMul, tf._FusedMatMul] as const;

/** The part of a tfjs backend the replacement uses to free its temporary transposes. */
interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Replaces the wasm BatchMatMul and _FusedMatMul kernels by ones that transpose explicitly.
 * Idempotent. Call after '@tensorflow/tfjs-backend-wasm' has been imported.
 * @throws Error when the wasm kernels are not registered
 */
export function fixWasmTransposedProducts(): void {
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (transpose == null) throw new Error('the wasm Transpose kernel is not registered');
  for (const kernelName of PRODUCT_KERNELS) {
    replaceKernel(kernelName, 'wasm', (original) =>
      withExplicitTransposes(original, transpose.kernelFunc),
    );
  }
}

/** A product kernel that transposes flagged operands itself, then calls `product` plainly. */
function withExplicitTransposes(product: KernelFunc, transpose: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const transposeA = attrs?.['transposeA'] === true;
    const transposeB = attrs?.['transposeB'] === true;
    if (!transposeA && !transposeB) return product({ inputs, backend, attrs });

    const temporaries: TensorInfo[] = [];
    const swap = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, axis) => axis);
      const last = perm.length - 1;
      [perm[last - 1], perm[last]] = [perm[last]!, perm[last - 1]!];
      const swapped = transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(swapped);
      return swapped; // [..., n, m]
    };
    const a = transposeA ? swap(inputs['a']!) : inputs['a']!;
    const b = transposeB ? swap(inputs['b']!) : inputs['b']!;
    const plainAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
    const output = product({ inputs: { ...inputs, a, b }, backend, attrs: plainAttrs });

    for (const temporary of temporaries) {
      (backend as DisposingBackend).disposeData(temporary.dataId);
    }
    return output;
  };
}
