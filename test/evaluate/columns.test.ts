// Encoding the compared tables: shared category codes, nulls, missing-value strings,
// datetimes as text or timestamps, and the messages for tables that do not fit the metadata.
import assert from 'node:assert/strict';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { encodeTables, parseDatetimeText } from '../../src/evaluate/columns.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { InvalidDataError } from '../../src/util/errors.ts';
import { readTable } from '../../src/io/read-table.ts';
import { VEGA_DATA } from './tables.ts';

describe('evaluate columns', () => {
  describe('encodeTables', () => {
    it('codes categories over one dictionary shared by all tables, null included', () => {
      const metadata: TableMetadata = {
        columns: [{ name: 'c', type: 'categorical', missingValues: [' ?'] }],
      };
      const real = arrow.tableFromArrays({ c: ['b', 'a', null, ' ?'] });
      const synthetic = arrow.tableFromArrays({ c: ['a', 'z', 'b'] });

      const encoded = encodeTables(
        [
          { role: 'real', table: real },
          { role: 'synthetic', table: synthetic },
        ],
        metadata,
      );

      // First sight in the real table orders the codes; ' ?' is missing, so null.
      assert.deepEqual(encoded.columns[0]!.labels, ['b', 'a', null, 'z']);
      assert.deepEqual(Array.from(encoded.tables[0]!.values[0]!), [0, 1, 2, 2]);
      assert.deepEqual(Array.from(encoded.tables[1]!.values[0]!), [1, 3, 0]);
    });

    it('puts an ordinal column in its declared order', () => {
      const metadata: TableMetadata = {
        columns: [{ name: 'size', type: 'ordinal', order: ['S', 'M', 'L'] }],
      };
      const table = arrow.tableFromArrays({ size: ['L', 'S', 'L'] });

      const encoded = encodeTables([{ role: 'real', table }], metadata);

      assert.deepEqual(encoded.columns[0]!.labels, ['S', 'M', 'L']);
      assert.deepEqual(Array.from(encoded.tables[0]!.values[0]!), [2, 0, 2]);
    });

    it('reads numbers from Int64, Float64 and text, and datetimes from text and timestamps', () => {
      const metadata: TableMetadata = {
        columns: [
          { name: 'count', type: 'continuous' },
          { name: 'text', type: 'continuous', missingValues: ['n/a'] },
          { name: 'day', type: 'datetime', format: '%d/%m/%Y' },
          { name: 'stamp', type: 'datetime' },
        ],
      };
      const table = new arrow.Table({
        count: arrow.vectorFromArray([1n, 2n], new arrow.Int64()),
        text: arrow.vectorFromArray([' 2.5', 'n/a']),
        day: arrow.vectorFromArray(['02/01/1970', '']),
        stamp: arrow.vectorFromArray([86_400_000, null], new arrow.TimestampMillisecond()),
      });

      const [count, text, day, stamp] = encodeTables([{ role: 'real', table }], metadata).tables[0]!
        .values as Float64Array[];

      assert.deepEqual(Array.from(count!), [1, 2]);
      assert.deepEqual(Array.from(text!), [2.5, NaN]);
      assert.deepEqual(Array.from(day!), [86_400_000, NaN]); // 2 January 1970, UTC
      assert.deepEqual(Array.from(stamp!), [86_400_000, NaN]);
    });

    it('reads seattle-weather dates as the project reader types them', async () => {
      const metadata: TableMetadata = {
        columns: [
          { name: 'date', type: 'datetime', format: '%Y-%m-%d' },
          { name: 'weather', type: 'categorical' },
        ],
      };
      const weather = await readTable(path.join(VEGA_DATA, 'seattle-weather.csv'), { metadata });

      const [dates] = encodeTables([{ role: 'real', table: weather }], metadata).tables[0]!
        .values as Float64Array[];

      assert.equal(dates!.length, 1461);
      assert.equal(dates![0], Date.UTC(2012, 0, 1));
      assert.equal(dates![1460], Date.UTC(2015, 11, 31));
    });

    it('leaves id columns out', () => {
      const metadata: TableMetadata = {
        columns: [
          { name: 'key', type: 'id' },
          { name: 'v', type: 'continuous' },
        ],
      };
      const table = arrow.tableFromArrays({ key: ['a', 'b'], v: Float64Array.of(1, 2) });

      const encoded = encodeTables([{ role: 'real', table }], metadata);

      assert.deepEqual(
        encoded.columns.map((column) => column.name),
        ['v'],
      );
      assert.deepEqual(encoded.ignored, ['key']);
    });

    it('names the table and column a metadata column is missing from', () => {
      const metadata: TableMetadata = { columns: [{ name: 'age', type: 'continuous' }] };
      const table = arrow.tableFromArrays({ years: Float64Array.of(1) });

      assert.throws(
        () => encodeTables([{ role: 'synthetic', table }], metadata),
        (error: unknown) =>
          error instanceof InvalidDataError &&
          error.message ===
            'The synthetic table has no column "age", which the metadata lists (its columns: ' +
              'years). Pass tables that match the metadata.',
      );
    });

    it('names the row and value of a numeric cell that is not a number', () => {
      const metadata: TableMetadata = { columns: [{ name: 'age', type: 'continuous' }] };
      const table = arrow.tableFromArrays({ age: ['39', ' ?'] });

      assert.throws(
        () => encodeTables([{ role: 'real', table }], metadata),
        (error: unknown) =>
          error instanceof InvalidDataError &&
          error.message ===
            'The real table\'s continuous column "age" holds " ?" in row 2, which is not a ' +
              "number. Declare it in the column's missingValues, or give the column another type.",
      );
    });
  });

  describe('parseDatetimeText', () => {
    it('reads ISO-like text without a zone as UTC', () => {
      assert.equal(parseDatetimeText('2019-03-23 20:21:09'), Date.UTC(2019, 2, 23, 20, 21, 9));
      assert.equal(parseDatetimeText('2019-03-23'), Date.UTC(2019, 2, 23));
      assert.ok(Number.isNaN(parseDatetimeText('not a date')));
    });
  });

  describe('evaluate', () => {
    it('refuses an empty synthetic table', async () => {
      const metadata: TableMetadata = { columns: [{ name: 'v', type: 'continuous' }] };
      const real = arrow.tableFromArrays({ v: Float64Array.of(1) });
      const synthetic = arrow.tableFromArrays({ v: new Float64Array(0) });

      await assert.rejects(
        evaluate({ real, synthetic, metadata }),
        (error: unknown) =>
          error instanceof InvalidDataError &&
          error.message === 'The synthetic table has no rows; there is nothing to compare.',
      );
    });
  });
});
