// Usefulness (train on synthetic, test on real): classification with and without a positive
// class, regression, the messages for a wrong target, and Adult's real-vs-real calibration.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { UsageError } from '../../src/util/errors.ts';
import { readTable } from '../../src/io/read-table.ts';
import { loadMetadata } from '../../src/schema/load-metadata.ts';
import { SHARED_DATA, shuffleColumns, VEGA_DATA } from './tables.ts';
import { PENGUINS_METADATA, WEATHER_METADATA } from '../helpers/vega-tables.ts';

// One penguin's sex is written '.', which means unknown.
const PENGUINS: TableMetadata = {
  columns: PENGUINS_METADATA.columns.map((column) =>
    column.name === 'Sex' ? { ...column, missingValues: ['.'] } : column,
  ),
};

const ONLY_USEFULNESS = { privacy: false } as const;

describe('evaluate usefulness', () => {
  let penguins: arrow.Table;

  before(async () => {
    penguins = await readTable(path.join(VEGA_DATA, 'penguins.json'), { metadata: PENGUINS });
  });

  it('scores a model trained on real rows well above one trained on shuffled rows', async () => {
    const shuffled = shuffleColumns(penguins, 11);

    const result = await evaluate(
      { real: penguins, synthetic: shuffled, metadata: PENGUINS, target: 'Species' },
      ONLY_USEFULNESS,
    );

    const usefulness = result.usefulness!;
    assert.equal(usefulness.task, 'classification');
    // Three species: no positive class, so F1 is macro F1 and there is no AUC.
    assert.equal(usefulness.positiveClass, null);
    assert.equal(usefulness.real.auc, null);
    // A seeded 20% of 344 rows is held out; the real model trains on the other 275.
    assert.equal(usefulness.testRows, 69);
    assert.equal(usefulness.real.trainRows, 275);
    assert.equal(usefulness.synthetic.trainRows, 344);
    assert.match(usefulness.holdout, /^a seeded 20% of the real rows \(seed 0\)/);
    // Species follow from beak and flipper sizes; shuffled columns carry none of that.
    assert.ok(usefulness.real.accuracy! > 0.9, `real ${usefulness.real.accuracy}`);
    assert.ok(
      usefulness.synthetic.accuracy! < usefulness.real.accuracy! - 0.2,
      `synthetic ${usefulness.synthetic.accuracy}`,
    );
  });

  it('takes the rarer of two classes as positive and drops rows with a null target', async () => {
    const result = await evaluate(
      { real: penguins, synthetic: penguins, metadata: PENGUINS, target: 'Sex', seed: 4 },
      ONLY_USEFULNESS,
    );

    const usefulness = result.usefulness!;
    const trainSexes = ['MALE', 'FEMALE'];
    assert.ok(trainSexes.includes(usefulness.positiveClass!));
    // penguins.json holds 11 rows without a sex (10 null, one '.'), so 333 rows train.
    assert.equal(usefulness.synthetic.trainRows, 333);
    assert.ok(usefulness.real.f1! > 0.7 && usefulness.real.auc! > 0.8);
  });

  it('fits a regression for a continuous target', async () => {
    const metadata: TableMetadata = WEATHER_METADATA;
    const weather = await readTable(path.join(VEGA_DATA, 'seattle-weather.csv'), { metadata });

    const result = await evaluate(
      { real: weather, synthetic: weather, metadata, target: 'temp_max' },
      ONLY_USEFULNESS,
    );

    const usefulness = result.usefulness!;
    assert.equal(usefulness.task, 'regression');
    assert.equal(usefulness.real.accuracy, null);
    // Daily highs follow the lows and the season closely.
    assert.ok(usefulness.real.r2! > 0.7, `R2 ${usefulness.real.r2}`);
  });

  it('says why it did not run when there is no target', async () => {
    const result = await evaluate(
      { real: penguins, synthetic: penguins, metadata: PENGUINS },
      {
        privacy: false,
      },
    );

    assert.equal(result.usefulness, null);
    assert.equal(
      result.usefulnessSkipped,
      'no target column: pass one (--target) or set "target" in the metadata',
    );
  });

  it('names the values of the target when the positive class is not one', async () => {
    const input = {
      real: penguins,
      synthetic: penguins,
      metadata: PENGUINS,
      target: 'Sex',
      positiveClass: 'male',
    };

    await assert.rejects(
      evaluate(input, ONLY_USEFULNESS),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          'The positive class "male" is not a value of the target "Sex"; its values are: ' +
            '"MALE", "FEMALE". Spell it exactly as in the data.',
    );
  });

  it('refuses a target that is an id column', async () => {
    const metadata: TableMetadata = {
      columns: [
        { name: 'key', type: 'id' },
        { name: 'v', type: 'continuous' },
      ],
    };
    const table = arrow.tableFromArrays({ key: ['a', 'b'], v: Float64Array.of(1, 2) });

    await assert.rejects(
      evaluate({ real: table, synthetic: table, metadata, target: 'key' }, ONLY_USEFULNESS),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          'The target "key" is not a column that can be predicted (id columns cannot); ' +
            'choose one of: v.',
    );
  });

  describe('on the Adult split (needs ../shared/data)', function () {
    const split = path.join(SHARED_DATA, 'adult-split');

    before(function () {
      if (!fs.existsSync(path.join(split, 'adult_train.csv'))) {
        this.skip(); // ../shared/data/adult-split is absent on this machine
      }
    });

    it('trains on the real split about as well as a gradient-boosting reference', async () => {
      const metadata = await loadMetadata(path.join(split, 'adult_meta.json'));
      const train = await readTable(path.join(split, 'adult_train.csv'), { metadata });
      const test = await readTable(path.join(split, 'adult_test.csv'), { metadata });

      // The synthetic side is a small slice, only to keep the test short.
      const result = await evaluate(
        { real: train, synthetic: train.slice(0, 2000), holdout: test, metadata },
        ONLY_USEFULNESS,
      );

      // Reference: gradient boosting reaches about 0.87 accuracy and F1 0.685 for " >50K".
      const real = result.usefulness!.real;
      assert.equal(result.usefulness!.positiveClass, ' >50K');
      assert.equal(real.trainRows, 26_048);
      assert.equal(result.usefulness!.testRows, 6_513);
      assert.ok(real.accuracy! > 0.82, `accuracy ${real.accuracy}`);
      assert.ok(real.f1! > 0.62, `F1 ${real.f1}`);
      assert.ok(real.auc! > 0.88, `AUC ${real.auc}`);
    });
  });
});
