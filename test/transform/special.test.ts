// Tests of the special functions behind the variational mixture, against values from
// scipy.special.digamma and Python's math.lgamma.
import assert from 'node:assert/strict';

import { digamma, lnBeta, lnGamma } from '../../src/transform/special.ts';

function assertClose(actual: number, expected: number, tolerance: number): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `expected ${expected}, got ${actual}`,
  );
}

describe('special functions', () => {
  describe('digamma', () => {
    it('matches scipy from 0.001 to 123.456 within 1e-12 relative', () => {
      const cases: [number, number][] = [
        [0.001, -1000.5755719318103],
        [0.5, -1.9635100260214235],
        [1, -0.5772156649015329],
        [10, 2.251752589066721],
        [123.456, 4.811829323828985],
      ];
      for (const [x, expected] of cases) assertClose(digamma(x), expected, 1e-12);
    });

    it('returns NaN outside its domain', () => {
      assert.ok(Number.isNaN(digamma(0)));
      assert.ok(Number.isNaN(digamma(-1)));
    });
  });

  describe('lnGamma', () => {
    it('matches math.lgamma from 0.001 to 123.456 within 1e-12 relative', () => {
      const cases: [number, number][] = [
        [0.001, 6.907178885383854],
        [0.5, 0.5723649429247004],
        [10, 12.801827480081467],
        [123.456, 469.60554712992956],
      ];
      for (const [x, expected] of cases) assertClose(lnGamma(x), expected, 1e-12);
    });
  });

  describe('lnBeta', () => {
    it('equals -ln(b) for a = 1, since B(1, b) = 1 / b', () => {
      assertClose(lnBeta(1, 0.001), Math.log(1000), 1e-12);
      assertClose(lnBeta(1, 7.5), -Math.log(7.5), 1e-12);
    });
  });
});
