import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.ts';

describe('Rng', () => {
  it('follows xoshiro128** seeded by splitmix32', () => {
    // Expected words from an independent Python implementation of the two published
    // algorithms (splitmix32 seeding of the four words, then xoshiro128** steps), seed 42.
    const rng = new Rng(42);

    const words = Array.from({ length: 5 }, () => rng.nextUint32());

    assert.deepEqual(words, [2837322924, 544945897, 479756282, 3500138142, 339756180]);
  });

  it('gives equal streams for equal seeds and different ones for different seeds', () => {
    const draw = (seed: number | string): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };

    assert.deepEqual(draw(7), draw(7));
    assert.deepEqual(draw('transform:7'), draw('transform:7'));
    assert.notDeepEqual(draw(7), draw(8));
  });

  describe('#fillUint32', () => {
    it('gives the words nextUint32 gives and leaves the Rng where they would', () => {
      const bulk = new Rng(41);
      const single = new Rng(41);

      const words = bulk.fillUint32(new Uint32Array(2500));

      for (let i = 0; i < words.length; i++) assert.equal(words[i], single.nextUint32(), `${i}`);
      assert.equal(bulk.nextUint32(), single.nextUint32());
    });
  });

  describe('#getState and #setState', () => {
    it('continue the stream exactly, Gaussian cache included', () => {
      const rng = new Rng(3);
      rng.gaussian(); // leaves the second value of the pair cached
      const state = JSON.parse(JSON.stringify(rng.getState()));

      const expected = [rng.gaussian(), rng.next(), rng.nextUint32()];
      const restored = Rng.fromState(state);

      assert.deepEqual([restored.gaussian(), restored.next(), restored.nextUint32()], expected);
      assert.ok(state.words.every((word: number) => word >= 0 && word <= 0xffffffff));
    });
  });

  describe('#gaussian', () => {
    it('draws mean 0 and variance 1 within sampling error', () => {
      const rng = new Rng(11);
      const values = Float64Array.from({ length: 200_000 }, () => rng.gaussian());

      const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
      const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;

      // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance.
      assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 0.015, `variance ${variance}`);
    });
  });
});
