// gatherRows against the product it replaces: a one-hot matrix times the table, forward and
// backward, with repeated and unused rows.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import { gatherRows } from '../../src/model/gather-rows.ts';
import { assertClose, expectNoLeak, useBackend } from '../backend/helpers.ts';

describe('gatherRows', function () {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`equals oneHot(rows) x table and its gradient on ${backend}`, async function () {
      await useBackend(backend);
      // Table rows 0..4 of width 3; row 1 picked three times, rows 0 and 4 never.
      const table = tf.tensor2d(
        Float32Array.from({ length: 15 }, (_, i) => i * 0.5 - 3),
        [5, 3],
      );
      const rows = Int32Array.from([1, 3, 1, 2, 1]);
      const weights = tf.tensor2d(
        Float32Array.from({ length: 15 }, (_, i) => Math.cos(i)),
        [5, 3],
      );
      const loss = (gathered: tf.Tensor): tf.Scalar => tf.sum(tf.mul(gathered, weights));

      const [gathered, gradient, denseValues, denseGradient] = await expectNoLeak(() =>
        tf.tidy(() => {
          const hot = tf.cast(tf.oneHot(tf.tensor1d(rows, 'int32'), 5), 'float32'); // [5, 5]
          return [
            gatherRows(table, rows).dataSync(),
            tf
              .grad((t: tf.Tensor) => loss(gatherRows(t as tf.Tensor2D, rows)))(table)
              .dataSync(),
            tf.matMul(hot, table).dataSync(),
            tf
              .grad((t: tf.Tensor) => loss(tf.matMul(hot, t as tf.Tensor2D)))(table)
              .dataSync(),
          ];
        }),
      );

      assertClose(gathered!, denseValues!, 0, 'values');
      assertClose(gradient!, denseGradient!, 1e-6, 'gradient');
      // Rows never picked get no gradient; row 1 gets the sum of three rows of weights.
      assert.deepEqual([...gradient!.subarray(0, 3)], [0, 0, 0]);
      assert.deepEqual([...gradient!.subarray(12, 15)], [0, 0, 0]);
      tf.dispose([table, weights]);
    });
  }

  it('rejects a row outside the table', async function () {
    await useBackend('wasm');
    const table = tf.zeros([4, 2]) as tf.Tensor2D;
    assert.throws(() => gatherRows(table, Int32Array.from([0, 4])), {
      name: 'RangeError',
      message: 'gatherRows: row 4 is outside [0, 4)',
    });
    table.dispose();
  });
});
