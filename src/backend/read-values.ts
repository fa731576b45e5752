// Reads float32 tensors into JavaScript for code that consumes them at once (the optimizer):
// on the wasm backend as views of the wasm heap, without the copy dataSync() makes (~1.5 ms and
// 4 MB of garbage per step for CTGAN's million weights); elsewhere with dataSync().
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs's BackendWasm used here. */
interface WasmHeapBackend {
  typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  dataIdMap: { has(dataId: object): boolean };
}

/**
 * Calls `use` with the values of `tensors` (float32, in order). The arrays may be views of
 * backend memory: read them inside `use` only, and run no tensor op there (an op may grow the
 * wasm heap, which detaches the views).
 * @returns what `use` returns
 */
export function withValues<T>(
  tensors: readonly tf.Tensor[],
  use: (values: Float32Array[]) => T,
): T {
  const backend = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmHeapBackend) : null;
  const values = tensors.map((tensor) => {
    if (tensor.dtype !== 'float32')
      throw new Error(`withValues reads float32 tensors, got ${tensor.dtype}`);
    if (backend !== null && backend.dataIdMap.has(tensor.dataId)) {
      return backend.typedArrayFromHeap({
        shape: tensor.shape,
        dtype: 'float32',
        dataId: tensor.dataId,
      });
    }
    return tensor.dataSync() as Float32Array;
  });
  return use(values);
}
