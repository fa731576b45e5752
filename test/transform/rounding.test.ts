import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { TableTransformer } from '../../src/transform/table-transformer.ts';
import { Rng } from '../../src/util/rng.ts';

describe('TableTransformer rounding of generated numbers', () => {
  // Values with one decimal; inference writes `integer: false` for such a column.
  const values = Float64Array.from({ length: 400 }, (_, i) => 30 + ((i * 37) % 200) / 10);
  const table = arrow.tableFromArrays({ length: values });

  for (const integer of [false, undefined]) {
    it(`rounds to the observed decimals when integer is ${integer}`, () => {
      const transformer = TableTransformer.fit(
        table,
        { columns: [{ name: 'length', type: 'continuous', integer }] },
        DEFAULT_CONFIG.transform,
        0,
      );
      const { dataDim } = transformer.layout;
      const rng = new Rng(1);
      // Arbitrary generator-like rows: alpha in (-1, 1), a random mode.
      const rows = 200;
      const data = new Float32Array(rows * dataDim);
      for (let row = 0; row < rows; row++) {
        data[row * dataDim] = rng.next() * 2 - 1;
        data[row * dataDim + 1 + rng.int(dataDim - 1)] = 1;
      }

      const generated = transformer.inverse({ data, rows, cols: dataDim }).getChild('length')!;

      for (const value of generated) {
        assert.equal(Math.round((value as number) * 10) / 10, value, `${value} has 1 decimal`);
      }
    });
  }
});

describe('TableTransformer boundary rules', () => {
  it('clips where real rows pile up at an end and folds where the end is rare', () => {
    // spread: 0..999 once each; topCoded: 5% of rows at its maximum 100, like Adult's 99999.
    const spread = Float64Array.from({ length: 1000 }, (_, i) => i);
    const topCoded = Float64Array.from({ length: 1000 }, (_, i) => (i % 20 === 0 ? 100 : i % 90));
    const table = arrow.tableFromArrays({ spread, topCoded });

    const transformer = TableTransformer.fit(
      table,
      {
        columns: [
          { name: 'spread', type: 'continuous' },
          { name: 'topCoded', type: 'continuous' },
        ],
      },
      DEFAULT_CONFIG.transform,
      0,
    );
    const models = transformer.toJSON().columns.map((column) => {
      const model = (column as { model: { boundaries: unknown } }).model;
      return model.boundaries;
    });

    assert.deepEqual(models, [
      { min: 'fold', max: 'fold' },
      { min: 'clip', max: 'clip' },
    ]);
  });
});
