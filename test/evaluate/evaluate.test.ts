// A whole evaluation of seattle-weather against a column-resampled copy: every figure is
// present, the result survives JSON unchanged, and the same seed gives the same figures.
import assert from 'node:assert/strict';
import path from 'node:path';

import type * as arrow from 'apache-arrow';

import { evaluate } from '../../src/evaluate/index.ts';
import type { EvaluationResult } from '../../src/evaluate/index.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { readTable } from '../../src/io/read-table.ts';
import { WEATHER_METADATA } from '../helpers/vega-tables.ts';
import { resampleColumns, VEGA_DATA } from './tables.ts';

const METADATA: TableMetadata = {
  ...WEATHER_METADATA,
  target: 'weather',
  positiveClass: 'sun',
};

describe('evaluate', () => {
  let real: arrow.Table;
  let synthetic: arrow.Table;
  let result: EvaluationResult;

  before(async () => {
    real = await readTable(path.join(VEGA_DATA, 'seattle-weather.csv'), { metadata: METADATA });
    synthetic = resampleColumns(real, 800, 1);
    result = await evaluate({ real, synthetic, metadata: METADATA, seed: 5 });
  });

  it('reports every part', () => {
    assert.deepEqual(result.rows, { real: 1461, synthetic: 800, holdout: null });
    assert.equal(result.columnShapes.length, 6);
    assert.equal(result.columnPairs.length, 15);
    assert.equal(result.distributions.length, 6);
    // The target and positive class come from the metadata.
    assert.equal(result.usefulness!.target, 'weather');
    assert.equal(result.usefulness!.positiveClass, 'sun');
    assert.equal(result.privacy!.synthetic.rows, 800);
    // Columns sampled independently keep their shapes but lose their relations.
    assert.ok(result.quality.columnShapes! > 0.9, `${result.quality.columnShapes}`);
    assert.ok(
      result.quality.columnPairTrendsImportant! < result.quality.columnPairTrends!,
      'the strongly related pairs lose the most',
    );
  });

  it('survives a JSON round trip unchanged, with no NaN anywhere', () => {
    const text = JSON.stringify(result);

    assert.deepEqual(JSON.parse(text), result);
    assert.ok(!text.includes('NaN'));
  });

  it('gives the same figures for the same seed', async () => {
    const again = await evaluate({ real, synthetic, metadata: METADATA, seed: 5 });

    assert.deepEqual({ ...again, timings: null }, { ...result, timings: null });
  });

  it('bins datetime histograms in milliseconds since 1970', () => {
    const dates = result.distributions.find((distribution) => distribution.column === 'date')!;

    assert.equal(dates.binEdges![0], Date.UTC(2012, 0, 1) - 0.5);
    assert.ok(dates.binEdges!.at(-1)! >= Date.UTC(2015, 11, 31));
    const total = dates.real.reduce((sum, share) => sum + share, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
  });
});
