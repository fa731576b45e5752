// Faster wasm kernels that move data: Identity shares its input (tfjs's copies it, and the tape
// clones every tensor it saves: ~230 copies per training step); Slice, SplitV and Concat copy
// rows inside the heap (tfjs's Slice copied its whole input out of the heap for every slice).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { replaceKernel } from './replace-kernel.ts';
import { replaceSliceKernels } from './slice-kernels.ts';
import { sliceRuns } from './slice-rows.ts';

/** The parts of tfjs's BackendWasm used here (untyped across the package boundary). */
interface WasmBackend {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

/**
 * Replaces the wasm Identity, Slice, SplitV and Concat kernels by fast paths for numeric
 * tensors (strings keep tfjs's kernels; Slice, SplitV and Concat also keep them for int32 and
 * bool). Idempotent; call after '@tensorflow/tfjs-backend-wasm' has been imported.
 * @throws Error when one of the wasm kernels is not registered
 */
export function fixWasmCopyKernels(): void {
  // Tensors are immutable and wasm kernels never write into their inputs, so an identity can
  // share the input's memory, as the cpu backend's does and as wasm's own Reshape does.
  replaceKernel(tf.Identity, 'wasm', (original) => (args) => {
    const x = args.inputs['x']!;
    if (x.dtype === 'string') return original(args);
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
  replaceSliceKernels('wasm', (backend, x, start, extent) =>
    sliceFloat32(backend as WasmBackend, x, start, extent),
  );
  replaceKernel(tf.Concat, 'wasm', (original) => (args) => {
    const inputs = Object.values(args.inputs) as TensorInfo[];
    if (inputs.length < 2 || inputs.some((input) => input.dtype !== 'float32'))
      return original(args);
    const axis = tf.util.parseAxisParam(args.attrs!['axis'] as number, inputs[0]!.shape)[0]!;
    return concatFloat32(args.backend as WasmBackend, inputs, axis);
  });
}

/**
 * x[start : start + extent] as a new tensor, copied run by run inside the heap (slice-rows.ts).
 * @param start first index per axis
 * @param extent size per axis
 */
function sliceFloat32(
  backend: WasmBackend,
  x: TensorInfo,
  start: number[],
  extent: number[],
): TensorInfo {
  const out = backend.makeOutput(extent, 'float32');
  const total = tf.util.sizeFromShape(extent);
  if (total === 0) return out;
  // The heap view is taken after makeOutput, which may have grown (and replaced) the heap.
  const heap = new Float32Array(backend.typedArrayFromHeap(out).buffer);
  const source = backend.dataIdMap.get(x.dataId).memoryOffset / 4;
  let target = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
  const { starts, length } = sliceRuns(x.shape, start, extent);
  for (const from of starts) {
    heap.copyWithin(target, source + from, source + from + length);
    target += length;
  }
  return out;
}

/** The inputs concatenated along `axis`: per outer index, each input's inner block in turn. */
function concatFloat32(backend: WasmBackend, inputs: TensorInfo[], axis: number): TensorInfo {
  const shape = [...inputs[0]!.shape];
  shape[axis] = inputs.reduce((sum, input) => sum + input.shape[axis]!, 0);
  const out = backend.makeOutput(shape, 'float32');
  if (tf.util.sizeFromShape(shape) === 0) return out;
  const heap = new Float32Array(backend.typedArrayFromHeap(out).buffer);
  const outer = tf.util.sizeFromShape(shape.slice(0, axis));
  const blocks = inputs.map((input) => ({
    offset: backend.dataIdMap.get(input.dataId).memoryOffset / 4,
    length: tf.util.sizeFromShape(input.shape.slice(axis)),
  }));
  let target = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
  for (let index = 0; index < outer; index++) {
    for (const block of blocks) {
      const from = block.offset + index * block.length;
      heap.copyWithin(target, from, from + block.length);
      target += block.length;
    }
  }
  return out;
}
