// Round trips of real tables through the TableTransformer: vega-datasets' files (always
// present) and the shared Adult, Titanic and taxis tables (skipped when ../shared is absent).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import type * as arrow from 'apache-arrow';

import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { TableTransformer } from '../../src/transform/table-transformer.ts';
import { Rng } from '../../src/util/rng.ts';
import { SHARED_DATA, VEGA_DATA, assertSameTable, readMetadata, readTestTable } from './tables.ts';
import { PENGUINS_METADATA, WEATHER_METADATA } from '../helpers/vega-tables.ts';

/** Fits, transforms and inverts `table`; checks the result and returns the transformer. */
function assertRoundTrip(table: arrow.Table, metadata: TableMetadata): TableTransformer {
  const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 0);

  const back = transformer.inverse(transformer.transform(table, new Rng(1)));

  assertSameTable(back, table);
  for (const column of metadata.columns) {
    if (column.type !== 'continuous') continue;
    const summary = transformer.describe().find((c) => c.name === column.name)!;
    if (summary.rounding === null || !('decimals' in summary.rounding!)) continue;
    if (summary.rounding.decimals !== 0) continue;
    for (const value of back.getChild(column.name)!) {
      if (value !== null) assert.ok(Number.isInteger(Number(value)), `${column.name}: ${value}`);
    }
  }
  return transformer;
}

describe('TableTransformer on real tables', () => {
  describe('vega-datasets', () => {
    it('round-trips seattle-weather.csv, dates included', async () => {
      const metadata: TableMetadata = WEATHER_METADATA;
      const table = await readTestTable(path.join(VEGA_DATA, 'seattle-weather.csv'), metadata);

      const transformer = assertRoundTrip(table, metadata);

      const date = transformer.describe()[0]!;
      assert.deepEqual(date.rounding, { step: 86_400_000 });
      const rain = transformer.describe()[1]!;
      assert.equal(rain.modes![0]!.kind, 'point', 'dry days are a point mass at 0');
      assert.equal(rain.modes![0]!.value, 0);
    });

    it('round-trips penguins.json, nulls included', async () => {
      const metadata: TableMetadata = PENGUINS_METADATA;
      const table = await readTestTable(path.join(VEGA_DATA, 'penguins.json'), metadata);

      const transformer = assertRoundTrip(table, metadata);

      const beak = transformer.describe()[2]!;
      assert.equal(beak.nulls, 2);
      assert.equal(beak.modes!.at(-1)!.kind, 'null');
    });
  });

  describe('shared tables (needs ../shared/data)', function () {
    before(function () {
      if (!fs.existsSync(path.join(SHARED_DATA, 'adult.csv'))) this.skip();
    });

    it('round-trips adult.csv with " ?" as missing, capital-gain zeros exact', async () => {
      const metadata = readMetadata(path.join(SHARED_DATA, 'adult.json'));
      for (const column of metadata.columns) {
        if (['workclass', 'occupation', 'native-country'].includes(column.name)) {
          column.missingValues = [' ?'];
        }
      }
      const table = await readTestTable(path.join(SHARED_DATA, 'adult.csv'), metadata);

      const transformer = assertRoundTrip(table, metadata);

      const gain = transformer.describe().find((c) => c.name === 'capital-gain')!;
      assert.equal(gain.modes![0]!.kind, 'point');
      assert.equal(gain.modes![0]!.value, 0);
      assert.ok(Math.abs(gain.modes![0]!.weight - 0.917) < 0.001, `${gain.modes![0]!.weight}`);
    });

    it('round-trips titanic.csv (nulls, booleans, an Int32 categorical)', async () => {
      const metadata = readMetadata(path.join(SHARED_DATA, 'titanic.json'));
      const table = await readTestTable(path.join(SHARED_DATA, 'titanic.csv'), metadata);

      assertRoundTrip(table, metadata);
    });

    it('round-trips taxis.csv (two datetime columns, high-cardinality categories)', async () => {
      const metadata = readMetadata(path.join(SHARED_DATA, 'taxis.json'));
      for (const column of metadata.columns) {
        if (column.type === 'datetime') column.format = '%Y-%m-%d %H:%M:%S';
      }
      const table = await readTestTable(path.join(SHARED_DATA, 'taxis.csv'), metadata);

      assertRoundTrip(table, metadata);
    });
  });
});
