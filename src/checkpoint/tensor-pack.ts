// Named float32 tensors packed into one little-endian binary blob with a JSON index, the
// storage of checkpoints and model bundles.
import os from 'node:os';
import { CheckpointError } from '../util/errors.ts';

/** A tensor's values on the host, row-major. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** Named host tensors, e.g. 'generator/block0/linear/kernel'. */
export type NamedTensors = Record<string, HostTensor>;

/** Where one tensor lies in a packed blob. */
export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements from the start of the blob. */
  offset: number;
  /** Number of float32 elements. */
  length: number;
}

if (os.endianness() !== 'LE') {
  // Float32Array uses the platform's byte order; the format is little-endian.
  throw new Error('tabsynth checkpoints need a little-endian platform (x86-64, arm64)');
}

/**
 * Packs tensors, in name order, into one blob.
 * @returns the blob (float32 little-endian) and its index
 */
export function packTensors(tensors: NamedTensors): { blob: Uint8Array; index: TensorEntry[] } {
  const names = Object.keys(tensors).sort();
  const index: TensorEntry[] = [];
  let total = 0;
  for (const name of names) {
    const { shape, data } = tensors[name]!;
    const expected = shape.reduce((product, size) => product * size, 1);
    if (expected !== data.length) {
      throw new Error(`tensor '${name}' has ${data.length} values but shape [${shape}]`);
    }
    index.push({ name, shape: [...shape], offset: total, length: data.length });
    total += data.length;
  }
  const packed = new Float32Array(total);
  for (const entry of index) packed.set(tensors[entry.name]!.data, entry.offset);
  return { blob: new Uint8Array(packed.buffer), index };
}

/**
 * Unpacks a blob written by packTensors; each tensor gets its own copy of the data.
 * @param source names the file, for messages
 * @throws CheckpointError when the blob is shorter than the index says
 */
export function unpackTensors(
  blob: Uint8Array,
  index: TensorEntry[],
  source: string,
): NamedTensors {
  if (blob.byteLength % 4 !== 0) {
    throw new CheckpointError(`${source} is ${blob.byteLength} bytes, not a float32 blob.`);
  }
  const values = new Float32Array(
    blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength),
  );
  const tensors: NamedTensors = {};
  for (const entry of index) {
    if (entry.offset + entry.length > values.length) {
      throw new CheckpointError(
        `${source} is truncated: tensor '${entry.name}' needs elements up to ` +
          `${entry.offset + entry.length}, the file holds ${values.length}.`,
      );
    }
    tensors[entry.name] = {
      shape: [...entry.shape],
      data: values.slice(entry.offset, entry.offset + entry.length),
    };
  }
  return tensors;
}
