// Tests that the bulk draws give exactly the values of the Rng's one-at-a-time methods and
// leave it in the same state.
import assert from 'node:assert/strict';

import {
  fillGaussian,
  fillOpenUniform,
  fillUniform,
  openUniform,
} from '../../src/model/bulk-random.ts';
import { Rng, type RngState } from '../../src/util/rng.ts';

/** The state with its words as unsigned integers (Rng keeps them signed or not). */
function normalized(state: RngState): RngState {
  return { ...state, words: state.words.map((word) => word >>> 0) as RngState['words'] };
}

describe('bulk random draws', function () {
  it('fillUniform gives the values of rng.next() and the same final state', function () {
    const bulk = new Rng(5);
    const single = new Rng(5);

    const values = fillUniform(bulk, new Float32Array(1001));

    const expected = Float32Array.from({ length: 1001 }, () => single.next());
    assert.deepEqual(values, expected);
    assert.deepEqual(normalized(bulk.getState()), normalized(single.getState()));
  });

  it('fillOpenUniform gives (nextUint32() + 0.5) / 2^32', function () {
    const bulk = new Rng(6);
    const single = new Rng(6);

    const values = fillOpenUniform(bulk, new Float32Array(333));

    const expected = Float32Array.from(
      { length: 333 },
      () => (single.nextUint32() + 0.5) / 4294967296,
    );
    assert.deepEqual(values, expected);
    assert.deepEqual(normalized(bulk.getState()), normalized(single.getState()));
  });

  it('keeps the largest words below 1 in float32, so Gumbel noise stays finite', function () {
    const words = [0, 2 ** 31, 2 ** 32 - 2 ** 7 - 1, 2 ** 32 - 2 ** 7, 2 ** 32 - 1];

    const uniforms = Float32Array.from(words, openUniform);
    const gumbel = Array.from(uniforms, (u) => -Math.log(-Math.log(u)));

    // (2^32 - 1 + 0.5) / 2^32 = 1 - 2^-33 would round to exactly 1 in float32.
    assert.ok(
      uniforms.every((u) => u > 0 && u < 1),
      `${uniforms}`,
    );
    assert.ok(gumbel.every(Number.isFinite), `${gumbel}`);
    assert.equal(uniforms[4], 1 - 2 ** -24);
  });

  it('fillGaussian gives the values of rng.fillGaussian, spare included', function () {
    const bulk = new Rng(7);
    const single = new Rng(7);

    for (const length of [5, 1, 8, 0, 3, 1000]) {
      const values = fillGaussian(bulk, new Float32Array(length));

      assert.deepEqual(values, single.fillGaussian(new Float32Array(length)), `length ${length}`);
      assert.deepEqual(
        normalized(bulk.getState()),
        normalized(single.getState()),
        `state after length ${length}`,
      );
    }
  });

  it('fillUniform applies a map to each draw', function () {
    const bulk = new Rng(8);
    const single = new Rng(8);

    const values = fillUniform(bulk, new Float32Array(50), (u) => (u < 0.5 ? 0 : 2));

    assert.deepEqual(
      values,
      Float32Array.from({ length: 50 }, () => (single.next() < 0.5 ? 0 : 2)),
    );
  });
});
