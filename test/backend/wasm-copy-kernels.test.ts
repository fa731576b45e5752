// Tests of the wasm Slice, SplitV and Concat replacements against the cpu backend, for several
// ranks, axes and part sizes, and that they leave no tensor behind.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { expectNoLeak, seededTensor, useBackend } from './helpers.ts';

/** Values and shapes of the tensors `compute` returns, on `backend`. */
async function on(
  backend: 'wasm' | 'cpu',
  compute: () => tf.Tensor[],
): Promise<Array<{ shape: number[]; values: number[] }>> {
  await useBackend(backend);
  return expectNoLeak(() =>
    tf.tidy(() =>
      compute().map((tensor) => ({ shape: tensor.shape, values: [...tensor.dataSync()] })),
    ),
  );
}

const CASES: Array<{ title: string; compute: () => tf.Tensor[] }> = [
  { title: 'a 1-D slice', compute: () => [tf.slice(seededTensor([10], 1), [3], [5])] },
  {
    title: 'a contiguous 2-D slice',
    compute: () => [tf.slice(seededTensor([6, 4], 2), [2, 0], [3, 4])],
  },
  {
    title: 'a 2-D slice of columns',
    compute: () => [tf.slice(seededTensor([6, 7], 3), [1, 2], [4, 3])],
  },
  {
    title: 'a 3-D slice',
    compute: () => [tf.slice(seededTensor([4, 5, 6], 4), [1, 2, 3], [2, 3, -1])],
  },
  {
    title: 'a 4-D slice',
    compute: () => [tf.slice(seededTensor([3, 4, 2, 5], 5), [1, 0, 1, 1], [2, 3, 1, 3])],
  },
  {
    title: 'a split along the last axis',
    compute: () => tf.split(seededTensor([5, 9], 6), [2, 3, 4], 1),
  },
  { title: 'a split along the first axis', compute: () => tf.split(seededTensor([6, 3], 7), 3, 0) },
  {
    title: 'a split along a middle axis',
    compute: () => tf.split(seededTensor([2, 6, 3], 8), [1, 5], 1),
  },
  {
    title: 'a concat along the last axis',
    compute: () => [
      tf.concat([seededTensor([4, 3], 9), seededTensor([4, 1], 10), seededTensor([4, 5], 11)], 1),
    ],
  },
  {
    title: 'a concat along the first axis',
    compute: () => [tf.concat([seededTensor([2, 3], 12), seededTensor([4, 3], 13)], 0)],
  },
  {
    title: 'a concat along a middle axis',
    compute: () => [tf.concat([seededTensor([2, 3, 4], 14), seededTensor([2, 2, 4], 15)], 1)],
  },
  {
    title: 'int32 tensors (tfjs kernels)',
    compute: () => [
      tf.concat([tf.reshape(tf.range(0, 6, 1, 'int32'), [2, 3]), tf.ones([2, 1], 'int32')], 1),
    ],
  },
];

describe('wasm copy kernels (Slice, SplitV, Concat)', function () {
  for (const { title, compute } of CASES) {
    it(`computes ${title} like the cpu backend`, async function () {
      const expected = await on('cpu', compute);
      const actual = await on('wasm', compute);

      assert.deepEqual(actual, expected);
    });
  }
});

describe('wasm Identity kernel', function () {
  before(async function () {
    await useBackend('wasm');
  });

  it('gives a tensor with the same values that outlives its source', async function () {
    await expectNoLeak(() => {
      const source = seededTensor([3, 4], 16);
      const expected = [...source.dataSync()];

      const copy = tf.clone(source);
      source.dispose();

      assert.deepEqual([...copy.dataSync()], expected);
      copy.dispose();
    });
  });
});
