// Tests of reading typed files (Arrow IPC, Parquet): normalization of their many column
// types to tabsynth's, value checks, and seeded sampling with maxRows.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import * as arrow from 'apache-arrow';

import { readTable } from '../../src/io/read-table.ts';
import { openTableWriter } from '../../src/io/table-writer.ts';
import { makeTempDir, removeDir, rowsOf, tableOf, typesOf } from './helpers.ts';

describe('readTable on typed files', () => {
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => removeDir(dir));

  /** Writes `table` as an Arrow IPC file with apache-arrow itself and returns the path. */
  function ipcFile(name: string, table: arrow.Table, layout: 'file' | 'stream' = 'file'): string {
    const file = path.join(dir, name);
    writeFileSync(file, arrow.tableToIPC(table, layout));
    return file;
  }

  it('normalizes integer, float, string, date and timestamp types', async () => {
    const ms = Date.UTC(2020, 2, 7, 8, 5, 9, 123);
    const table = new arrow.Table({
      int8: arrow.vectorFromArray([1, -2, null], new arrow.Int8()),
      uint16: arrow.vectorFromArray([65535, 0, 1], new arrow.Uint16()),
      int64small: arrow.vectorFromArray([1n, -5n, null], new arrow.Int64()),
      int64wide: arrow.vectorFromArray([4_000_000_000n, 1n, 2n], new arrow.Int64()),
      int64huge: arrow.vectorFromArray([9_007_199_254_740_993n, 1n, null], new arrow.Int64()),
      float32: arrow.vectorFromArray([0.1, 2.5, null], new arrow.Float32()),
      large: arrow.vectorFromArray(['a', null, 'ü'], new arrow.LargeUtf8()),
      dict: arrow.vectorFromArray(
        ['x', 'y', 'x'],
        new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      ),
      date64: arrow.vectorFromArray([Date.UTC(2020, 0, 2), null, 0], new arrow.DateMillisecond()),
      micros: arrow.vectorFromArray([ms, null, 0], new arrow.TimestampMicrosecond()),
    });

    const back = await readTable(ipcFile('types.arrow', table));

    assert.deepEqual(typesOf(back), [
      'int8: Int32',
      'uint16: Int32',
      'int64small: Int32',
      'int64wide: Float64',
      'int64huge: Utf8',
      'float32: Float64',
      'large: Utf8',
      'dict: Utf8',
      'date64: Date32<DAY>',
      'micros: Timestamp<MILLISECOND>',
    ]);
    assert.deepEqual(rowsOf(back), [
      {
        int8: 1,
        uint16: 65535,
        int64small: 1,
        int64wide: 4e9,
        int64huge: '9007199254740993',
        float32: 0.1,
        large: 'a',
        dict: 'x',
        date64: Date.UTC(2020, 0, 2),
        micros: ms,
      },
      {
        int8: -2,
        uint16: 0,
        int64small: -5,
        int64wide: 1,
        int64huge: '1',
        float32: 2.5,
        large: null,
        dict: 'y',
        date64: null,
        micros: null,
      },
      {
        int8: null,
        uint16: 1,
        int64small: null,
        int64wide: 2,
        int64huge: null,
        float32: null,
        large: 'ü',
        dict: 'x',
        date64: 0,
        micros: 0,
      },
    ]);
  });

  it('applies declared missing values and parses declared-continuous text', async () => {
    const table = tableOf({
      w: arrow.vectorFromArray([' Private', ' ?', null], new arrow.Utf8()),
      n: arrow.vectorFromArray(['1', '2.5', 'NA'], new arrow.Utf8()),
      code: arrow.vectorFromArray([7, -999, 3], new arrow.Int32()),
    });
    const metadata = {
      columns: [
        { name: 'w', type: 'categorical' as const, missingValues: [' ?'] },
        { name: 'n', type: 'continuous' as const, missingValues: ['NA'] },
        { name: 'code', type: 'continuous' as const, missingValues: ['-999'] },
      ],
    };

    const back = await readTable(ipcFile('missing.arrows', table, 'stream'), { metadata });

    assert.deepEqual(typesOf(back), ['w: Utf8', 'n: Float64', 'code: Int32']);
    assert.deepEqual(rowsOf(back), [
      { w: ' Private', n: 1, code: 7 },
      { w: null, n: 2.5, code: null },
      { w: null, n: null, code: 3 },
    ]);
  });

  it('reports NaN in a float column with its row, and reads it as null when declared', async () => {
    const table = tableOf({ x: arrow.vectorFromArray([1, Number.NaN], new arrow.Float64()) });
    const file = ipcFile('nan.arrow', table);

    await assert.rejects(readTable(file), {
      name: 'InvalidDataError',
      message:
        `${file}: column "x", row 2: NaN is in a numeric column; tabsynth cannot learn NaN or ` +
        'infinite values. Declare the spelling missing ("missingValues": ["NaN"]) to read it ' +
        'as null, or replace it with a finite number.',
    });
    const metadata = {
      columns: [{ name: 'x', type: 'continuous' as const, missingValues: ['nan'] }],
    };
    assert.deepEqual(rowsOf(await readTable(file, { metadata })), [{ x: 1 }, { x: null }]);
  });

  it('reports columns it cannot learn and columns null in every row', async () => {
    const lists = new arrow.Table({ tags: arrow.vectorFromArray([[1], [2, 3]]) });
    const nulls = new arrow.Table({
      a: arrow.vectorFromArray([1, 2], new arrow.Int32()),
      b: arrow.vectorFromArray([null, null], new arrow.Utf8()),
    });
    const listFile = ipcFile('list.arrow', lists);
    const nullFile = ipcFile('null.arrow', nulls);

    await assert.rejects(readTable(listFile), {
      name: 'InvalidDataError',
      message:
        `${listFile}: column "tags" has type List<Float64>, which tabsynth cannot learn; drop ` +
        'the column, or store it as numbers, text, booleans, dates or timestamps.',
    });
    await assert.rejects(readTable(nullFile), {
      name: 'InvalidDataError',
      message:
        `${nullFile}: column "b" is null (empty or a declared missing value) in every row; ` +
        'drop the column from the file and the metadata, or give it values.',
    });
  });

  for (const format of ['parquet', 'arrow'] as const) {
    it(`${format}: samples maxRows rows uniformly across batches, in file order`, async () => {
      const file = path.join(dir, `many.${format}`);
      const schema = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), true)]);
      const writer = await openTableWriter(file, format, schema, { rowGroupRows: 3000 });
      for (let start = 0; start < 20_000; start += 1000) {
        const ids = Int32Array.from({ length: 1000 }, (_, i) => start + i);
        await writer.write(tableOf({ id: arrow.makeVector(ids) }));
      }
      await writer.close();

      const table = await readTable(file, { maxRows: 2000, seed: 9 });
      const again = await readTable(file, { maxRows: 2000, seed: 9 });
      const ids = Array.from(table.getChild('id')!.toArray() as Int32Array);

      assert.equal(table.numRows, 2000);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      assert.equal(new Set(ids).size, 2000);
      assert.deepEqual(Array.from(again.getChild('id')!.toArray() as Int32Array), ids);
      // Mean of 2,000 draws without replacement from 0..19999: sd 5774 / sqrt(2000) *
      // sqrt(0.9) = 122; 4 deviations is 490.
      const mean = ids.reduce((sum, id) => sum + id, 0) / ids.length;
      assert.ok(Math.abs(mean - 9999.5) < 490, `mean ${mean}`);
    });
  }
});
