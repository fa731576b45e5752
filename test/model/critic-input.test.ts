// The critic's sparse condition input against the dense vectors it stands for: the packed
// product and its gradient, interpolation, concatenation, and bad positions.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';

import {
  type ConditionTerms,
  concatInputs,
  interpolateInputs,
  oneHotTerms,
  packedConditionProduct,
} from '../../src/model/critic-input.ts';
import { assertClose, expectNoLeak, seededTensor, useBackend } from '../backend/helpers.ts';
import { denseConditions } from './critic-helpers.ts';

describe('critic input', function () {
  before(async function () {
    await useBackend('wasm');
  });

  // 6 rows in packs of pac = 3, condDim 4, two entries per row: repeated positions, a zero
  // weight, and position 3 never used.
  const pac = 3;
  const condDim = 4;
  const terms: ConditionTerms = {
    perRow: 2,
    positions: Int32Array.from([0, 1, 2, 2, 1, 0, 0, 0, 2, 1, 1, 2]),
    weights: Float32Array.from([0.25, 0.75, 1, 0, 0.5, 0.5, 0.3, 0.7, 0.9, 0.1, 1, 0]),
  };

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`packs conditions like the dense product and its gradient on ${backend}`, async function () {
      await useBackend(backend);
      const [sparse, dense, sparseGradient, denseGradient] = await expectNoLeak(() =>
        tf.tidy(() => {
          const table = seededTensor([pac * condDim, 5], 3) as tf.Tensor2D;
          const upstream = seededTensor([2, 5], 4);
          // [packs, pac * condDim]: each pack's rows' condition vectors side by side.
          const packed = tf.reshape(denseConditions(terms, condDim), [2, pac * condDim]);
          const loss = (product: tf.Tensor): tf.Scalar => tf.sum(tf.mul(product, upstream));
          return [
            packedConditionProduct(table, terms, pac).dataSync(),
            tf.matMul(packed, table).dataSync(),
            tf
              .grad((t: tf.Tensor) => loss(packedConditionProduct(t as tf.Tensor2D, terms, pac)))(
                table,
              )
              .dataSync(),
            tf
              .grad((t: tf.Tensor) => loss(tf.matMul(packed, t as tf.Tensor2D)))(table)
              .dataSync(),
          ];
        }),
      );

      assertClose(sparse!, dense!, 1e-6, 'product');
      assertClose(sparseGradient!, denseGradient!, 1e-6, 'gradient');
      await useBackend('wasm');
    });
  }

  it('rejects positions outside the condition vector and a ragged batch', function () {
    const table = tf.zeros([pac * condDim, 2]) as tf.Tensor2D;

    assert.throws(
      () => packedConditionProduct(table, oneHotTerms(Int32Array.from([0, 4, 1])), pac),
      {
        name: 'RangeError',
        message: 'condition position 4 is outside [0, 4)',
      },
    );
    assert.throws(() => packedConditionProduct(table, oneHotTerms(Int32Array.from([0, 1])), pac), {
      name: 'ShapeMismatchError',
    });
    table.dispose();
  });

  it('interpolates data per pack and weights both rows condition entries', async function () {
    const [data, conditions] = await expectNoLeak(() => {
      let terms = null as ConditionTerms | null;
      const values = tf.tidy(() => {
        const real = {
          data: tf.ones([4, 2]) as tf.Tensor2D,
          conditions: oneHotTerms(Int32Array.from([0, 1, 2, 3])),
        };
        const fake = {
          data: tf.zeros([4, 2]) as tf.Tensor2D,
          conditions: oneHotTerms(Int32Array.from([3, 3, 0, 0])),
        };
        const mixed = interpolateInputs(real, fake, Float32Array.from([0.25, 0.5]), 2);
        terms = mixed.conditions;
        return mixed.data;
      });
      const result = [values.dataSync(), terms] as const;
      values.dispose();
      return result;
    });

    assert.deepEqual(
      Array.from(data as Float32Array),
      [0.25, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.5],
    );
    assert.equal(conditions!.perRow, 2);
    // Row i: its real row's position at weight a, then its fake row's at 1 - a.
    assert.deepEqual(Array.from(conditions!.positions), [0, 3, 1, 3, 2, 0, 3, 0]);
    assert.deepEqual(Array.from(conditions!.weights), [0.25, 0.75, 0.25, 0.75, 0.5, 0.5, 0.5, 0.5]);
  });

  it('concatenates two inputs row-wise', async function () {
    const both = await expectNoLeak(() => {
      const first = {
        data: tf.zeros([2, 3]) as tf.Tensor2D,
        conditions: oneHotTerms(Int32Array.from([1, 2])),
      };
      const second = {
        data: tf.ones([2, 3]) as tf.Tensor2D,
        conditions: oneHotTerms(Int32Array.from([0, 3])),
      };
      const joined = concatInputs(first, second);
      const result = {
        shape: joined.data.shape,
        positions: Array.from(joined.conditions!.positions),
      };
      tf.dispose([first.data, second.data, joined.data]);
      return result;
    });

    assert.deepEqual(both, { shape: [4, 3], positions: [1, 2, 0, 3] });
  });
});
