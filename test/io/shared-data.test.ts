// Tests on the project's real tables in ../shared/data (Adult, Titanic, taxis) read with
// their metadata JSON. Skipped when that folder is absent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { readTable } from '../../src/io/read-table.ts';
import { openTableWriter } from '../../src/io/table-writer.ts';
import { loadMetadata } from '../../src/schema/load-metadata.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { validateMetadata } from '../../src/schema/validate-metadata.ts';
import { makeTempDir, removeDir, rowsOf, sharedData, typesOf } from './helpers.ts';

describe('shared real tables (needs ../shared/data)', function () {
  let dir: string;
  before(function () {
    if (!existsSync(path.join(sharedData, 'adult.csv'))) this.skip();
    dir = makeTempDir();
  });
  after(() => dir && removeDir(dir));

  /** Adult's metadata with " ?" declared missing where it occurs. */
  async function adultMetadata(): Promise<TableMetadata> {
    const metadata = await loadMetadata(path.join(sharedData, 'adult.json'));
    for (const column of metadata.columns) {
      if (['workclass', 'occupation', 'native-country'].includes(column.name))
        column.missingValues = [' ?'];
    }
    return metadata;
  }

  it('reads adult.csv with " ?" declared missing: 1836, 1843 and 583 nulls', async () => {
    const metadata = await adultMetadata();
    const file = path.join(sharedData, 'adult.csv');

    const table = await readTable(file, { metadata });
    validateMetadata(metadata, table, { data: file, metadata: 'adult.json' });

    assert.equal(table.numRows, 32_561);
    const nulls = ['workclass', 'occupation', 'native-country'].map(
      (name) => table.getChild(name)!.nullCount,
    );
    assert.deepEqual(nulls, [1836, 1843, 583]);
    assert.equal(table.getChild('age')!.type.toString(), 'Int32');
    assert.equal(table.getChild('income')!.get(0), ' <=50K');
  });

  it('writes adult.csv back byte for byte', async () => {
    const file = path.join(sharedData, 'adult.csv');
    const table = await readTable(file);
    const copy = path.join(dir, 'adult.csv');

    const writer = await openTableWriter(copy, 'csv', table.schema);
    await writer.write(table);
    await writer.close();

    assert.ok(readFileSync(copy).equals(readFileSync(file)), 'the copy differs from adult.csv');
  });

  it('reads the same Adult table back from Parquet', async () => {
    const metadata = await adultMetadata();
    const table = await readTable(path.join(sharedData, 'adult.csv'), { metadata });
    const copy = path.join(dir, 'adult.parquet');

    const writer = await openTableWriter(copy, 'parquet', table.schema);
    await writer.write(table);
    await writer.close();
    const back = await readTable(copy, { metadata });

    assert.deepEqual(typesOf(back), typesOf(table));
    assert.deepEqual(rowsOf(back), rowsOf(table));
  });

  it('reads titanic.csv: True/False booleans, empty-cell nulls, integer codes', async () => {
    const metadata = await loadMetadata(path.join(sharedData, 'titanic.json'));
    const file = path.join(sharedData, 'titanic.csv');

    const table = await readTable(file, { metadata });
    validateMetadata(metadata, table, { data: file, metadata: 'titanic.json' });

    assert.equal(table.numRows, 891);
    assert.equal(table.getChild('adult_male')!.type.toString(), 'Bool');
    assert.equal(
      table.schema.fields.find((f) => f.name === 'alone')!.metadata.get('tabsynth.booleanSpelling'),
      'True/False',
    );
    assert.deepEqual(
      ['age', 'deck', 'embarked'].map((name) => table.getChild(name)!.nullCount),
      [177, 688, 2],
    );
    assert.equal(table.getChild('survived')!.type.toString(), 'Int32');
    assert.equal(table.getChild('fare')!.type.toString(), 'Float64');
  });

  it('reads taxis.csv and completes its datetime columns with the detected format', async () => {
    const metadata = await loadMetadata(path.join(sharedData, 'taxis.json'));
    const file = path.join(sharedData, 'taxis.csv');

    const table = await readTable(file, { metadata });
    const completed = validateMetadata(metadata, table, { data: file, metadata: 'taxis.json' });

    assert.equal(table.numRows, 6433);
    assert.equal(table.getChild('payment')!.nullCount, 44);
    const formats = completed.columns
      .filter((column) => column.type === 'datetime')
      .map((column) => column.format);
    assert.deepEqual(formats, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S']);
  });

  it('loads adult_meta.json, whose positive_class is an alias of positiveClass', async () => {
    const metadata = await loadMetadata(path.join(sharedData, 'adult-split/adult_meta.json'));

    assert.equal(metadata.target, 'income');
    assert.equal(metadata.positiveClass, ' >50K');
  });
});
