// Tests of the numeric column model: point masses, coverage of outliers, the null mode,
// rounding and clipping on the way back, and exact round trips.
import assert from 'node:assert/strict';

import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { NumberColumn } from '../../src/transform/arrow-read.ts';
import { REACH } from '../../src/transform/coverage.ts';
import { modeSettings } from '../../src/transform/column-fit.ts';
import { NumericModel, type NumericFitOptions } from '../../src/transform/numeric-model.ts';
import { Rng } from '../../src/util/rng.ts';

const { transform: config } = DEFAULT_CONFIG;

function fitOptions(values: Float64Array, overrides: Partial<NumericFitOptions> = {}) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const options: NumericFitOptions = {
    ...modeSettings(config),
    rounding: null,
    extrapolate: false,
    min,
    max,
    boundaries: { min: 'clip', max: 'clip' },
  };
  return { ...options, ...overrides };
}

function present(values: Float64Array): NumberColumn {
  return { values, valid: null, nulls: 0 };
}

/** Transforms a column into a matrix of just this column's spans: [rows, 1 + modes]. */
function encode(model: NumericModel, column: NumberColumn, seed = 1) {
  const cols = 1 + model.modeCount;
  const matrix = new Float32Array(column.values.length * cols);
  model.transform(column, matrix, cols, 0, 1, new Rng(seed));
  return { matrix, cols };
}

function decode(model: NumericModel, matrix: Float32Array, cols: number): NumberColumn {
  return model.inverse(matrix, matrix.length / cols, cols, 0, 1);
}

/** A matrix as a generator might emit it: modes drawn by weight, alpha uniform in (-1, 1). */
function generated(model: NumericModel, rows: number, rng: Rng) {
  const cols = 1 + model.modeCount;
  const weights = [
    ...model.state.pointMasses.map((mass) => mass.count),
    ...model.state.components.map((c) => c.weight * mixtureRows(model)),
    ...(model.state.nullMode ? [model.state.nulls] : []),
  ];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const matrix = new Float32Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    let draw = rng.next() * total;
    let mode = 0;
    while (mode < weights.length - 1 && draw >= weights[mode]!) draw -= weights[mode++]!;
    matrix[row * cols] = 2 * rng.next() - 1;
    matrix[row * cols + 1 + mode] = 1;
  }
  return { matrix, cols };
}

function mixtureRows(model: NumericModel): number {
  const { rows, nulls, pointMasses } = model.state;
  return rows - nulls - pointMasses.reduce((sum, mass) => sum + mass.count, 0);
}

function shuffled(values: number[], seed: number): Float64Array {
  return Float64Array.from(new Rng(seed).shuffle(values));
}

describe('NumericModel', () => {
  describe('point masses', () => {
    const rng = new Rng(10);
    const values = shuffled(
      Array.from({ length: 10_000 }, (_, row) => (row < 9000 ? 0 : 50 + 10 * rng.gaussian())),
      11,
    );
    const model = NumericModel.fit(present(values), fitOptions(values), new Rng(12));

    it('gives a value holding 90% of the rows an exact mode of its own', () => {
      assert.deepEqual(model.state.pointMasses, [{ value: 0, count: 9000 }]);
      assert.ok(model.state.components.length >= 1);
    });

    it('encodes the zero rows with alpha 0 and the point-mass mode', () => {
      const { matrix, cols } = encode(model, present(values));

      for (let row = 0; row < values.length; row++) {
        if (values[row] !== 0) continue;
        assert.equal(matrix[row * cols], 0, `row ${row}: alpha`);
        assert.equal(matrix[row * cols + 1], 1, `row ${row}: mode`);
      }
    });

    it('decodes generated rows to exactly zero at the fitted rate', () => {
      const rows = 20_000;
      const { matrix, cols } = generated(model, rows, new Rng(13));

      const decoded = decode(model, matrix, cols);

      const zeros = decoded.values.filter((value) => value === 0).length;
      // Binomial(20000, 0.9): standard error sqrt(0.9 * 0.1 / 20000) = 0.0021; allow 4 of them.
      assert.ok(Math.abs(zeros / rows - 0.9) <= 4 * 0.0021, `zero share ${zeros / rows}`);
      const nearZero = decoded.values.filter((value) => value !== 0 && Math.abs(value) < 1);
      assert.equal(nearZero.length, 0, 'no smeared zeros');
    });

    it('round-trips every row, zeros exactly', () => {
      const { matrix, cols } = encode(model, present(values));

      const decoded = decode(model, matrix, cols);

      for (let row = 0; row < values.length; row++) {
        const expected = values[row]!;
        if (expected === 0) assert.equal(decoded.values[row], 0);
        else assert.ok(Math.abs(decoded.values[row]! - expected) <= 1e-3 * Math.abs(expected));
      }
    });
  });

  describe('point masses within what the larger ones leave', () => {
    // 90% zeros; of the rest, 7 holds 40% and 3 holds 30% (4% and 3% of all rows), and 30%
    // are spread thinly: the shape of Adult's capital-gain.
    const rng = new Rng(14);
    const values = shuffled(
      Array.from({ length: 10_000 }, (_, row) => {
        if (row < 9000) return 0;
        if (row < 9400) return 7;
        if (row < 9700) return 3;
        return 100 + 10 * rng.next();
      }),
      15,
    );

    it('takes the values that dominate the rows the larger point masses leave', () => {
      const model = NumericModel.fit(present(values), fitOptions(values), new Rng(16));

      assert.deepEqual(model.state.pointMasses, [
        { value: 0, count: 9000 },
        { value: 3, count: 300 },
        { value: 7, count: 400 },
      ]);
      assert.ok(model.state.components.length >= 1, 'the spread values keep a mixture');
    });

    it('takes at most maxPointMasses, the most frequent first', () => {
      const options = fitOptions(values, { maxPointMasses: 2 });
      const model = NumericModel.fit(present(values), options, new Rng(16));

      assert.deepEqual(
        model.state.pointMasses.map((mass) => mass.value),
        [0, 7],
      );
    });

    it('takes none with maxPointMasses 0', () => {
      const options = fitOptions(values, { maxPointMasses: 0 });
      const model = NumericModel.fit(present(values), options, new Rng(16));

      assert.deepEqual(model.state.pointMasses, []);
    });

    it('takes none when no value holds pointMassShare of all rows', () => {
      // 25 values with 4% of the rows each: any of them would hold more than 5% of what the
      // others leave, but none dominates the column to begin with.
      const column = shuffled(
        Array.from({ length: 1000 }, (_, row) => Math.floor(row / 40)),
        17,
      );
      const model = NumericModel.fit(present(column), fitOptions(column), new Rng(18));

      assert.deepEqual(model.state.pointMasses, []);
    });

    it('never makes a value seen once a point mass', () => {
      const column = Float64Array.from({ length: 40 }, (_, row) => (row < 38 ? 0 : 100 + row));
      const model = NumericModel.fit(present(column), fitOptions(column), new Rng(19));

      assert.deepEqual(model.state.pointMasses, [{ value: 0, count: 38 }]);
    });
  });

  describe('coverage', () => {
    // 20 rows near 100 among 10,000 N(0, 1) rows: their own component weighs 0.002 and is
    // dropped, so without coverage they would come back near 0 + 3.96.
    const rng = new Rng(20);
    const values = Float64Array.from({ length: 10_020 }, (_, row) =>
      row < 20 ? 100 + rng.gaussian() : rng.gaussian(),
    );
    const model = NumericModel.fit(present(values), fitOptions(values), new Rng(21));

    it('adds a component that reaches the outliers', () => {
      const fitted = model.state.components.filter((component) => !component.coverage);
      const unreachable = fitted.every((c) => Math.abs(100 - c.mean) > REACH * c.std);
      assert.ok(unreachable, 'no fitted component reaches 100');
      assert.equal(model.state.fit.uncoveredRows, 20);
      assert.ok(model.state.fit.coverageAdded >= 1);
    });

    it('round-trips the outliers within 1e-3 relative', () => {
      const { matrix, cols } = encode(model, present(values));

      const decoded = decode(model, matrix, cols);

      for (let row = 0; row < values.length; row++) {
        const expected = values[row]!;
        const scale = Math.max(Math.abs(expected), 1e-3 * (model.state.max - model.state.min));
        assert.ok(
          Math.abs(decoded.values[row]! - expected) <= 1e-3 * scale,
          `row ${row}: ${decoded.values[row]} vs ${expected}`,
        );
      }
    });
  });

  describe('nulls', () => {
    const values = Float64Array.from({ length: 1000 }, (_, row) => row % 97);
    const valid = Uint8Array.from({ length: 1000 }, (_, row) => (row % 10 === 3 ? 0 : 1));
    const column: NumberColumn = { values, valid, nulls: 100 };
    const model = NumericModel.fit(column, fitOptions(values), new Rng(30));

    it('ends the mode span with a null mode that null rows take, with alpha 0', () => {
      const { matrix, cols } = encode(model, column);

      assert.equal(model.state.nullMode, true);
      for (let row = 3; row < 1000; row += 10) {
        assert.equal(matrix[row * cols], 0);
        assert.equal(matrix[row * cols + cols - 1], 1);
      }
    });

    it('gives back the same null rows', () => {
      const { matrix, cols } = encode(model, column);

      const decoded = decode(model, matrix, cols);

      assert.equal(decoded.nulls, 100);
      assert.deepEqual(decoded.valid, valid);
    });
  });

  describe('#inverse', () => {
    const rng = new Rng(40);
    const values = Float64Array.from({ length: 5000 }, () => Math.round(30 + 8 * rng.gaussian()));

    it('rounds to whole numbers and stays within the observed range', () => {
      const options = fitOptions(values, { rounding: { decimals: 0 } });
      const model = NumericModel.fit(present(values), options, new Rng(41));
      const { matrix, cols } = generated(model, 5000, new Rng(42));
      for (let row = 0; row < 5000; row += 2) matrix[row * cols] = row % 4 === 0 ? 1 : -1;

      const decoded = decode(model, matrix, cols);

      assert.ok(decoded.values.every((value) => Number.isInteger(value)));
      assert.ok(decoded.values.every((v) => v >= options.min && v <= options.max));
      assert.ok(
        decoded.values.some((v) => v === options.max),
        'alpha 1 reaches the clip',
      );
    });

    it('folds overshoots back inside at a fold end instead of piling them on the end', () => {
      // Uniform values, each at most once (like dates): overshoots must not pile up at max.
      const spread = Float64Array.from({ length: 2000 }, (_, i) => i);
      const clipped = NumericModel.fit(present(spread), fitOptions(spread), new Rng(46));
      const folded = NumericModel.fit(
        present(spread),
        fitOptions(spread, { boundaries: { min: 'fold', max: 'fold' } }),
        new Rng(46),
      );
      const { matrix, cols } = generated(folded, 4000, new Rng(47));

      const atEnds = (model: NumericModel) =>
        decode(model, matrix, cols).values.filter((v) => v === 0 || v === 1999).length;
      const foldedValues = decode(folded, matrix, cols).values;

      assert.ok(atEnds(clipped) > 100, `clipping piles ${atEnds(clipped)} rows on the ends`);
      assert.ok(atEnds(folded) < 10, `folding leaves ${atEnds(folded)} rows on the ends`);
      assert.ok(
        foldedValues.every((v) => v >= 0 && v <= 1999),
        'folded values stay inside',
      );
    });

    it('goes beyond the observed range when extrapolating', () => {
      const options = fitOptions(values, { extrapolate: true });
      const model = NumericModel.fit(present(values), options, new Rng(43));
      // Every row in the component that reaches furthest up, at alpha 1 (its mean + 4 std).
      const { pointMasses, components } = model.state;
      const reach = components.map((component) => component.mean + 4 * component.std);
      const top = reach.indexOf(Math.max(...reach));
      const cols = 1 + model.modeCount;
      const matrix = new Float32Array(10 * cols);
      for (let row = 0; row < 10; row++) {
        matrix[row * cols] = 1;
        matrix[row * cols + 1 + pointMasses.length + top] = 1;
      }

      const decoded = decode(model, matrix, cols);

      assert.ok(reach[top]! > options.max, 'the fixture reaches beyond the range');
      assert.ok(decoded.values.every((value) => value > options.max));
      const clipped = decode(
        NumericModel.fit(present(values), fitOptions(values), new Rng(43)),
        matrix,
        cols,
      );
      assert.ok(
        clipped.values.every((value) => value <= options.max),
        'clipped without it',
      );
    });

    it('reads a non-finite alpha as 0', () => {
      const model = NumericModel.fit(present(values), fitOptions(values), new Rng(45));
      const cols = 1 + model.modeCount;
      const matrix = new Float32Array(cols);
      matrix[0] = Number.NaN;
      matrix[1 + model.state.pointMasses.length] = 1;

      const decoded = decode(model, matrix, cols);

      assert.equal(decoded.values[0], model.state.components[0]!.mean);
    });
  });

  it('handles a column whose values are all point masses', () => {
    const values = Float64Array.from({ length: 100 }, (_, row) => row % 2);
    const model = NumericModel.fit(present(values), fitOptions(values), new Rng(50));

    const { matrix, cols } = encode(model, present(values));
    const decoded = decode(model, matrix, cols);

    assert.equal(model.state.components.length, 0);
    assert.equal(model.modeCount, 2);
    assert.deepEqual(decoded.values, values);
  });

  it('rebuilds from JSON to the same encoding and decoding', () => {
    const rng = new Rng(60);
    const values = Float64Array.from({ length: 3000 }, () => Math.exp(rng.gaussian()));
    const model = NumericModel.fit(present(values), fitOptions(values), new Rng(61));

    const copy = NumericModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));

    const first = encode(model, present(values), 7);
    const second = encode(copy, present(values), 7);
    assert.deepEqual(second.matrix, first.matrix);
    assert.deepEqual(
      decode(copy, first.matrix, first.cols),
      decode(model, first.matrix, first.cols),
    );
  });
});
