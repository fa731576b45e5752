// Tests of the cpu Slice and SplitV replacements against a plain element-by-element slice
// written here, for several ranks, axes and part sizes, and that they leave no tensor behind.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { expectNoLeak, seededTensor, useBackend } from './helpers.ts';

/**
 * x[start : start + extent] computed one element at a time from x's values: the definition
 * of a slice, independent of the row copies under test.
 */
function sliceByElements(x: tf.Tensor, start: number[], extent: number[]): number[] {
  const values = x.dataSync();
  const strides = tf.util.computeStrides(x.shape);
  const outStrides = tf.util.computeStrides(extent);
  const out: number[] = [];
  for (let i = 0; i < tf.util.sizeFromShape(extent); i++) {
    let rest = i;
    let from = 0;
    extent.forEach((_, axis) => {
      const step = axis < outStrides.length ? outStrides[axis]! : 1;
      const position = Math.floor(rest / step);
      rest -= position * step;
      from += (start[axis]! + position) * (axis < strides.length ? strides[axis]! : 1);
    });
    out.push(values[from]!);
  }
  return out;
}

const SLICES: Array<{ title: string; shape: number[]; start: number[]; extent: number[] }> = [
  { title: 'a 1-D slice', shape: [10], start: [3], extent: [5] },
  { title: 'a contiguous 2-D slice', shape: [6, 4], start: [2, 0], extent: [3, 4] },
  { title: 'a 2-D slice of columns', shape: [6, 7], start: [1, 2], extent: [4, 3] },
  { title: 'a 3-D slice', shape: [4, 5, 6], start: [1, 2, 3], extent: [2, 3, 3] },
  { title: 'a 4-D slice', shape: [3, 4, 2, 5], start: [1, 0, 1, 1], extent: [2, 3, 1, 3] },
];

describe('cpu copy kernels (Slice, SplitV)', function () {
  before(async function () {
    await useBackend('cpu');
  });

  for (const { title, shape, start, extent } of SLICES) {
    it(`computes ${title} as the element-by-element definition does`, async function () {
      const x = seededTensor(shape, shape.length);

      const actual = await expectNoLeak(() =>
        tf.tidy(() => {
          const part = tf.slice(x, start, extent);
          return { shape: part.shape, values: [...part.dataSync()] };
        }),
      );

      assert.deepEqual(actual, { shape: extent, values: sliceByElements(x, start, extent) });
      x.dispose();
    });
  }

  for (const [title, shape, sizes, axis] of [
    ['along the last axis', [5, 9], [2, 3, 4], 1],
    ['along the first axis', [6, 3], [2, 2, 2], 0],
    ['along a middle axis', [2, 6, 3], [1, 5], 1],
  ] as Array<[string, number[], number[], number]>) {
    it(`splits ${title} into the slices of each part`, async function () {
      const x = seededTensor(shape, 20 + axis);

      const parts = await expectNoLeak(() =>
        tf.tidy(() =>
          tf
            .split(x, sizes, axis)
            .map((part) => ({ shape: part.shape, values: [...part.dataSync()] })),
        ),
      );

      let offset = 0;
      const expected = sizes.map((size) => {
        const start = shape.map((_, index) => (index === axis ? offset : 0));
        const extent = shape.map((dim, index) => (index === axis ? size : dim));
        offset += size;
        return { shape: extent, values: sliceByElements(x, start, extent) };
      });
      assert.deepEqual(parts, expected);
      x.dispose();
    });
  }

  it('leaves int32 slices to the tfjs kernel', function () {
    const x = tf.reshape(tf.range(0, 12, 1, 'int32'), [3, 4]);

    const part = tf.slice(x, [1, 1], [2, 2]);

    assert.equal(part.dtype, 'int32');
    assert.deepEqual([...part.dataSync()], [5, 6, 9, 10]);
    tf.dispose([x, part]);
  });
});
