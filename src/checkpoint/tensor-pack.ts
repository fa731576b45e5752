// Named float32 arrays packed into one little-endian binary blob with a JSON index: the
// storage of checkpoints and model bundles.
import os from 'node:os';
import type { NamedArray } from '../model/parameters.ts';
import { CheckpointError } from '../util/errors.ts';

export type { NamedArray } from '../model/parameters.ts';

/** Where one array lies in a packed blob. */
export interface ArrayEntry {
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
 * Packs arrays, in the given order, into one blob.
 * @returns the blob (float32 little-endian) and its index
 * @throws Error when an array's length does not match its shape (a bug in the caller)
 */
export function packArrays(arrays: readonly NamedArray[]): {
  blob: Uint8Array;
  index: ArrayEntry[];
} {
  const index: ArrayEntry[] = [];
  let total = 0;
  for (const { name, shape, values } of arrays) {
    const expected = shape.reduce((product, size) => product * size, 1);
    if (expected !== values.length) {
      throw new Error(`array '${name}' has ${values.length} values but shape [${shape}]`);
    }
    index.push({ name, shape: [...shape], offset: total, length: values.length });
    total += values.length;
  }
  const packed = new Float32Array(total);
  arrays.forEach((array, i) => packed.set(array.values, index[i]!.offset));
  return { blob: new Uint8Array(packed.buffer), index };
}

/**
 * Unpacks a blob written by packArrays; each array gets its own copy of the data.
 * @param source names the file, for messages
 * @throws CheckpointError when the blob is shorter than the index says
 */
export function unpackArrays(
  blob: Uint8Array,
  index: readonly ArrayEntry[],
  source: string,
): NamedArray[] {
  if (blob.byteLength % 4 !== 0) {
    throw new CheckpointError(`${source} is ${blob.byteLength} bytes, not a float32 blob`);
  }
  const start = blob.byteOffset;
  const values = new Float32Array(blob.buffer.slice(start, start + blob.byteLength));
  return index.map((entry) => {
    if (entry.offset + entry.length > values.length) {
      throw new CheckpointError(
        `${source} is truncated: array '${entry.name}' needs elements up to ` +
          `${entry.offset + entry.length}, the file holds ${values.length}`,
      );
    }
    return {
      name: entry.name,
      shape: [...entry.shape],
      values: values.slice(entry.offset, entry.offset + entry.length),
    };
  });
}
