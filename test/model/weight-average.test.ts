// Tests of WeightAverage: the warm-up of its decay, the update's arithmetic, and a saved average
// that restores exactly.
import assert from 'node:assert/strict';

import { Parameter } from '../../src/model/parameters.ts';
import { WeightAverage } from '../../src/model/weight-average.ts';

function parameter(values: number[]): Parameter {
  return new Parameter('net.weight', [values.length], Float32Array.from(values));
}

describe('WeightAverage', function () {
  describe('#currentDecay', function () {
    it('warms up as (1 + updates) / (10 + updates) until it reaches the decay', function () {
      const average = new WeightAverage([parameter([0])], 0.5);

      const decays: number[] = [];
      for (let update = 0; update < 3; update++) {
        decays.push(average.currentDecay);
        average.update();
      }

      // 1/10, 2/11, then 3/12 = 0.25, all under 0.5; at 9/18 = 0.5 the decay takes over.
      assert.deepEqual(decays, [1 / 10, 2 / 11, 3 / 12]);
      average.updates = 9;
      assert.equal(average.currentDecay, 0.5);
      average.updates = 100;
      assert.equal(average.currentDecay, 0.5);
    });
  });

  describe('#update', function () {
    it('moves the average towards the current values by 1 - decay', function () {
      const weight = parameter([1, -2]);
      const average = new WeightAverage([weight], 0.9);
      average.updates = 1000; // past the warm-up: the decay is 0.9

      weight.values.set([11, 8]);
      average.update();

      // 0.9 * 1 + 0.1 * 11 = 2; 0.9 * -2 + 0.1 * 8 = -1
      const [entry] = average.weights();
      assert.equal(entry!.name, 'net.weight');
      assert.ok(Math.abs(entry!.values[0]! - 2) < 1e-6, `${entry!.values[0]}`);
      assert.ok(Math.abs(entry!.values[1]! + 1) < 1e-6, `${entry!.values[1]}`);
      assert.equal(average.updates, 1001);
    });

    it('starts at the values it is given and leaves them alone', function () {
      const weight = parameter([3, 4]);
      const average = new WeightAverage([weight], 0.999);

      weight.values.set([5, 6]);

      assert.deepEqual([...average.weights()[0]!.values], [3, 4]);
      average.update();
      assert.deepEqual([...weight.values], [5, 6]);
    });
  });

  describe('#toArrays and #load', function () {
    it('restore the average and its update count exactly', function () {
      const weight = parameter([0.1, 0.2, 0.3]);
      const saved = new WeightAverage([weight], 0.99);
      for (let step = 0; step < 5; step++) {
        weight.values[step % 3] = step * 0.37;
        saved.update();
      }
      const restored = new WeightAverage([parameter([0, 0, 0])], 0.99);

      restored.load(saved.toArrays(), saved.updates);

      assert.deepEqual(saved.toArrays()[0]!.name, 'average.net.weight');
      assert.deepEqual(restored.toArrays(), saved.toArrays());
      assert.equal(restored.updates, 5);
    });

    it('names an average that is missing from the state', function () {
      const average = new WeightAverage([parameter([1, 2])], 0.99);

      assert.throws(() => average.load([], 0), {
        name: 'CheckpointError',
        message: 'weight average average.net.weight: expected 2 values, found missing',
      });
    });
  });
});
