// Tests of Adam against a hand computation (PyTorch's update with L2 weight decay added to the
// gradient), its refusal of non-finite updates, and the round trip of its state.
import assert from 'node:assert/strict';

import { Adam, type AdamSettings } from '../../src/model/adam.ts';
import { Parameter, ParameterSet } from '../../src/model/parameters.ts';
import { assertClose } from '../backend/helpers.ts';

const SETTINGS: AdamSettings = {
  learningRate: 0.1,
  beta1: 0.5,
  beta2: 0.9,
  epsilon: 1e-8,
  weightDecay: 0.01,
};

function twoValues(): ParameterSet {
  return new ParameterSet([new Parameter('p', [2], Float32Array.from([1, -2]))]);
}

describe('Adam', function () {
  it('matches a hand computation of two steps with weight decay', function () {
    const parameters = twoValues();
    const adam = new Adam(parameters, SETTINGS, 'adam');
    const gradient = Float32Array.from([0.5, 0.1]);

    // Step 1: g = grad + 0.01 p = [0.51, 0.08]; m = 0.5 g = [0.255, 0.04];
    // v = 0.1 g^2 = [0.02601, 0.00064]; p -= (0.1 / 0.5) m / (sqrt(v) / sqrt(0.1) + 1e-8)
    //   = 0.2 * [0.5, 0.5] -> p = [0.9, -2.1].
    assert.equal(adam.apply([gradient]), true);
    assertClose(parameters.parameters[0]!.values, [0.9, -2.1], 1e-6, 'after step 1');

    // Step 2: g = [0.509, 0.079]; m = [0.382, 0.0595]; v = [0.0493171, 0.0012001];
    // p -= (0.1 / 0.75) m / (sqrt(v) / sqrt(0.19) + 1e-8) -> p = [0.8000276, -2.1998214].
    assert.equal(adam.apply([gradient]), true);
    assertClose(parameters.parameters[0]!.values, [0.8000276, -2.1998214], 1e-6, 'after step 2');
    assert.equal(adam.step, 2);
    const [first, second] = adam.toArrays();
    assertClose(first!.values, [0.382, 0.0595], 1e-6, 'm');
    assertClose(second!.values, [0.0493171, 0.0012001], 1e-6, 'v');
  });

  it('changes nothing when the gradient is not finite', function () {
    const parameters = twoValues();
    const adam = new Adam(parameters, SETTINGS, 'adam');

    const applied = adam.apply([Float32Array.from([0.5, Number.NaN])]);

    assert.equal(applied, false);
    assert.deepEqual([...parameters.parameters[0]!.values], [1, -2]);
    assert.equal(adam.step, 0);
    assert.deepEqual(
      adam.toArrays().map((entry) => [...entry.values]),
      [
        [0, 0],
        [0, 0],
      ],
    );
  });

  it('continues identically after its state is saved and loaded', function () {
    const gradients = [
      Float32Array.from([0.3, -0.7]),
      Float32Array.from([-0.2, 0.4]),
      Float32Array.from([1, 1]),
    ];
    const straight = twoValues();
    const straightAdam = new Adam(straight, SETTINGS, 'adam');
    for (const gradient of gradients) straightAdam.apply([gradient]);

    const first = twoValues();
    const firstAdam = new Adam(first, SETTINGS, 'adam');
    firstAdam.apply([gradients[0]!]);
    const resumed = twoValues();
    resumed.load(first.toArrays());
    const resumedAdam = new Adam(resumed, SETTINGS, 'adam');
    resumedAdam.load(firstAdam.toArrays(), firstAdam.step);
    for (const gradient of gradients.slice(1)) resumedAdam.apply([gradient]);

    assert.deepEqual(resumed.parameters[0]!.values, straight.parameters[0]!.values);
  });

  it('rejects a saved state with a missing moment', function () {
    const adam = new Adam(twoValues(), SETTINGS, 'adam.generator');

    assert.throws(() => adam.load([], 3), {
      name: 'CheckpointError',
      message: 'optimizer state adam.generator.m.p: expected 2 values, found missing',
    });
  });
});
