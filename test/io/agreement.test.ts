// Tests that CSV, Parquet, Arrow IPC and JSON agree: one table written by our writers and
// read back gives the same Arrow table in every format, and file -> Arrow -> file -> Arrow
// round trips are exact, on made-up data and on vega-datasets' files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type * as arrow from 'apache-arrow';

import { readTable } from '../../src/io/read-table.ts';
import { openTableWriter, type WriteFormat } from '../../src/io/table-writer.ts';
import {
  awkwardTable,
  makeTempDir,
  removeDir,
  rowsOf,
  typesOf,
  vegaData,
  writeFile,
} from './helpers.ts';

/** Writes `table` to `file` with our writer and reads it back with readTable. */
async function throughFile(
  table: arrow.Table,
  file: string,
  format: WriteFormat,
): Promise<arrow.Table> {
  const writer = await openTableWriter(file, format, table.schema);
  await writer.write(table);
  await writer.close();
  return readTable(file);
}

function fieldMetadataOf(table: arrow.Table): string[] {
  return table.schema.fields.map((field) => JSON.stringify([...field.metadata]));
}

function assertSameTable(actual: arrow.Table, expected: arrow.Table, what: string): void {
  assert.deepEqual(typesOf(actual), typesOf(expected), `${what}: types`);
  assert.deepEqual(fieldMetadataOf(actual), fieldMetadataOf(expected), `${what}: field metadata`);
  assert.deepEqual(rowsOf(actual), rowsOf(expected), `${what}: values`);
}

describe('format agreement', () => {
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => removeDir(dir));

  it('reads the same table back from CSV, TSV, Parquet, Arrow file and Arrow stream', async () => {
    const table = awkwardTable();

    for (const [name, format] of [
      ['t.csv', 'csv'],
      ['t.tsv', 'csv'],
      ['t.parquet', 'parquet'],
      ['t.arrow', 'arrow'],
      ['t.arrows', 'arrow'],
    ] as const) {
      const back = await throughFile(table, path.join(dir, name), format);

      assertSameTable(back, table, name);
    }
  });

  it('keeps timestamps through Parquet and Arrow, and writes them as text to CSV', async () => {
    const table = awkwardTable(true);

    for (const name of ['ts.parquet', 'ts.arrow']) {
      const format = name.endsWith('parquet') ? 'parquet' : 'arrow';
      assertSameTable(await throughFile(table, path.join(dir, name), format), table, name);
    }
    const csv = await throughFile(table, path.join(dir, 'ts.csv'), 'csv');
    assert.deepEqual(
      rowsOf(csv).map((row) => row.when),
      [
        '1970-01-01 00:00:00.000',
        '1969-12-31 00:00:00.000',
        null,
        '2019-03-01 08:05:00.123',
        '2001-09-09 01:46:40.000',
        '2033-05-18 03:33:20.000',
      ],
    );
  });

  it('agrees with JSON and JSON Lines holding the same records', async () => {
    const table = awkwardTable();
    const records = rowsOf(table);
    const json = writeFile(dir, 't.json', JSON.stringify(records));
    const lines = writeFile(
      dir,
      't.jsonl',
      `${records.map((row) => JSON.stringify(row)).join('\n')}\n`,
    );

    for (const file of [json, lines]) {
      const back = await readTable(file);

      assert.deepEqual(typesOf(back), typesOf(table), file);
      assert.deepEqual(rowsOf(back), records, file);
    }
  });

  describe('vega-datasets files', () => {
    it('reads seattle-weather.csv and round-trips it through Parquet and CSV exactly', async () => {
      const source = path.join(vegaData, 'seattle-weather.csv');
      const table = await readTable(source);

      assert.equal(table.numRows, 1461);
      assert.deepEqual(typesOf(table), [
        'date: Utf8',
        'precipitation: Float64',
        'temp_max: Float64',
        'temp_min: Float64',
        'wind: Float64',
        'weather: Utf8',
      ]);
      const viaParquet = await throughFile(table, path.join(dir, 'weather.parquet'), 'parquet');
      assertSameTable(viaParquet, table, 'csv -> parquet');
      const viaCsv = await throughFile(viaParquet, path.join(dir, 'weather.csv'), 'csv');
      assertSameTable(viaCsv, table, 'parquet -> csv');
    });

    it('reads penguins.json, with its nulls, and round-trips it through Arrow', async () => {
      const table = await readTable(path.join(vegaData, 'penguins.json'));

      assert.equal(table.numRows, 344);
      assert.deepEqual(typesOf(table), [
        'Species: Utf8',
        'Island: Utf8',
        'Beak Length (mm): Float64',
        'Beak Depth (mm): Float64',
        'Flipper Length (mm): Int32',
        'Body Mass (g): Int32',
        'Sex: Utf8',
      ]);
      const records = JSON.parse(
        readFileSync(path.join(vegaData, 'penguins.json'), 'utf8'),
      ) as object[];
      assert.deepEqual(rowsOf(table), records);
      assertSameTable(
        await throughFile(table, path.join(dir, 'penguins.arrow'), 'arrow'),
        table,
        'arrow',
      );
    });

    it('reads flights-200k.arrow, widening Int16 to Int32 and Float32 to Float64', async () => {
      const table = await readTable(path.join(vegaData, 'flights-200k.arrow'));

      assert.equal(table.numRows, 200_000);
      assert.deepEqual(typesOf(table), ['delay: Int32', 'distance: Int32', 'time: Float64']);
      assert.deepEqual(rowsOf(table.slice(0, 1)), [{ delay: 0, distance: 1452, time: 0 }]);
      // Float32 values come back as the shortest decimals that name them (0.3, not 0.30000001).
      const times = table.getChild('time')!.toArray() as Float64Array;
      assert.ok(
        times.every((time) => Math.fround(time) === Math.fround(Number(time.toPrecision(9)))),
      );
      assert.ok(times.some((time) => time === 0.3));
    });

    it('samples flights-3m.parquet: timestamps, Int64 narrowed, strings plain', async () => {
      const table = await readTable(path.join(vegaData, 'flights-3m.parquet'), {
        maxRows: 20_000,
        seed: 5,
      });

      assert.equal(table.numRows, 20_000);
      assert.deepEqual(typesOf(table), [
        'date: Timestamp<MILLISECOND>',
        'delay: Int32',
        'distance: Int32',
        'origin: Utf8',
        'destination: Utf8',
      ]);
      const dates = table.getChild('date')!.toArray() as BigInt64Array;
      for (let i = 1; i < dates.length; i++) assert.ok(dates[i]! >= dates[i - 1]!, 'file order');
      assert.ok(rowsOf(table.slice(0, 5)).every((row) => typeof row.origin === 'string'));
    });
  });
});
