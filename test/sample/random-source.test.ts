// Tests of the sampler's random draws: the ziggurat normals have the moments and the
// distribution of N(0, 1).
import assert from 'node:assert/strict';

import { RandomSource } from '../../src/sample/random-source.ts';
import { Rng } from '../../src/util/rng.ts';

/** The standard normal CDF, by the Abramowitz-Stegun 7.1.26 erf (error below 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const polynomial =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - polynomial * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('RandomSource', function () {
  it('fills normals exactly as repeated normal() calls draw them', function () {
    const filled = new RandomSource(new Rng(5)).fillNormal(new Float32Array(5000));
    const one = new RandomSource(new Rng(5));

    const single = Float32Array.from({ length: 5000 }, () => one.normal());

    assert.deepEqual(filled, single);
  });

  it('draws standard normals: moments, tail share and Kolmogorov-Smirnov distance', function () {
    const n = 400_000;
    const values = new RandomSource(new Rng(9)).fillNormal(new Float32Array(n));

    let sum = 0;
    let squares = 0;
    let fourth = 0;
    let tail = 0;
    for (const x of values) {
      sum += x;
      squares += x * x;
      fourth += x ** 4;
      if (Math.abs(x) > 3) tail++;
    }
    // Standard errors for n draws: mean 1/sqrt(n) = 0.0016, variance sqrt(2/n) = 0.0022,
    // fourth moment sqrt(96/n) = 0.015, P(|x| > 3) = 0.0027 +- sqrt(0.0027/n) = 8e-5; 5 each.
    assert.ok(Math.abs(sum / n) < 0.008, `mean ${sum / n}`);
    assert.ok(Math.abs(squares / n - 1) < 0.011, `variance ${squares / n}`);
    assert.ok(Math.abs(fourth / n - 3) < 0.075, `fourth moment ${fourth / n}`);
    assert.ok(Math.abs(tail / n - 0.0026998) < 0.0004, `tail share ${tail / n}`);
    // KS distance against N(0, 1): 1.63 / sqrt(n) is the 1 % critical value.
    const sorted = Float64Array.from(values).sort();
    let distance = 0;
    sorted.forEach((x, i) => {
      distance = Math.max(distance, Math.abs(normalCdf(x) - (i + 0.5) / n));
    });
    assert.ok(distance < 1.63 / Math.sqrt(n), `KS distance ${distance}`);
  });

  it('draws uniforms strictly inside (0, 1)', function () {
    const source = new RandomSource(new Rng(2));

    const draws = Array.from({ length: 10_000 }, () => source.uniform());

    assert.ok(draws.every((u) => u > 0 && u < 1));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.015, `mean ${mean}`); // 5 x sqrt(1/12 / 1e4) = 0.0144
  });
});
