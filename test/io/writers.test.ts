// Tests of the streaming table writers: output an independent reader understands, row
// groups, quoting, atomic publication, abort, and the errors of misuse.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as arrow from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';

import { int32Vector, utf8FromStrings } from '../../src/io/arrow-build.ts';
import { readTable } from '../../src/io/read-table.ts';
import { openTableWriter } from '../../src/io/table-writer.ts';
import { awkwardTable, makeTempDir, removeDir, rowsOf, tableOf } from './helpers.ts';

describe('openTableWriter', () => {
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => removeDir(dir));

  describe('parquet', () => {
    it('writes what hyparquet, an independent reader, reads back equal', async () => {
      const table = awkwardTable(true);
      const file = path.join(dir, 'awkward.parquet');

      const writer = await openTableWriter(file, 'parquet', table.schema);
      await writer.write(table);
      const { rows, bytes } = await writer.close();

      assert.equal(rows, 6);
      assert.equal(bytes, readFileSync(file).length);
      const source = await asyncBufferFromFile(file);
      const metadata = await parquetMetadataAsync(source);
      const types = metadata.schema
        .slice(1)
        .map((element) => [
          element.name,
          element.type,
          element.logical_type?.type ?? element.converted_type ?? null,
        ]);
      assert.deepEqual(types, [
        ['count', 'INT32', null],
        ['ratio', 'DOUBLE', null],
        ['label', 'BYTE_ARRAY', 'STRING'],
        ['flag', 'BOOLEAN', null],
        ['when', 'INT64', 'TIMESTAMP'],
      ]);
      const read = await parquetReadObjects({ file: source });
      const expected = rowsOf(table).map((row) => ({
        ...row,
        when: row.when === null ? null : new Date(row.when as number),
      }));
      assert.deepEqual(read, expected);
    });

    it('dictionary-encodes strings and cuts row groups of rowGroupRows rows', async () => {
      const file = path.join(dir, 'groups.parquet');
      const batch = tableOf({
        n: int32Vector(Int32Array.from({ length: 1000 }, (_, i) => i)),
        s: utf8FromStrings(Array.from({ length: 1000 }, (_, i) => ['a', 'b', 'c'][i % 3]!)),
      });

      const writer = await openTableWriter(file, 'parquet', batch.schema, { rowGroupRows: 10_000 });
      for (let i = 0; i < 25; i++) await writer.write(batch);
      await writer.close();

      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      assert.deepEqual(
        metadata.row_groups.map((group) => Number(group.num_rows)),
        [10_000, 10_000, 5000],
      );
      const encodings = metadata.row_groups[0]!.columns[1]!.meta_data!.encodings;
      assert.ok(encodings.includes('RLE_DICTIONARY'), `encodings ${encodings.join(', ')}`);
      assert.equal((await readTable(file)).numRows, 25_000);
    });

    it('writes a readable file with the schema and no rows when nothing was written', async () => {
      const file = path.join(dir, 'empty.parquet');
      const writer = await openTableWriter(file, 'parquet', awkwardTable().schema);

      await writer.close();

      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      assert.equal(Number(metadata.num_rows), 0);
      assert.deepEqual(
        metadata.schema.slice(1).map((element) => element.name),
        ['count', 'ratio', 'label', 'flag'],
      );
    });
  });

  describe('csv', () => {
    it('quotes what needs it, nulls empty, booleans in their spelling, header once', async () => {
      const table = awkwardTable();
      const file = path.join(dir, 'awkward.csv');

      const writer = await openTableWriter(file, 'csv', table.schema);
      await writer.write(table);
      await writer.write(table.slice(0, 1));
      await writer.close();

      assert.equal(
        readFileSync(file, 'utf8'),
        'count,ratio,label,flag\n' +
          '0,0.1, Private,True\n' +
          '-2147483648,-2.5e-8,"a,b",False\n' +
          ',,,\n' +
          '2147483647,1e+21,"say ""hi""",True\n' +
          '7,3.141592653589793,"two\nlines",False\n' +
          '42,2,ünïcödé ✓,True\n' +
          '0,0.1, Private,True\n',
      );
    });

    it('writes timestamps to the millisecond and dates as days', async () => {
      const file = path.join(dir, 'times.csv');
      const table = new arrow.Table({
        when: arrow.vectorFromArray(
          [Date.UTC(2019, 2, 1, 8, 5, 9, 45)],
          new arrow.TimestampMillisecond(),
        ),
        day: arrow.vectorFromArray([Date.UTC(2019, 2, 1)], new arrow.DateDay()),
      });

      const writer = await openTableWriter(file, 'csv', table.schema);
      await writer.write(table);
      await writer.close();

      assert.equal(readFileSync(file, 'utf8'), 'when,day\n2019-03-01 08:05:09.045,2019-03-01\n');
    });
  });

  describe('atomic output', () => {
    for (const format of ['parquet', 'csv', 'arrow'] as const) {
      it(`${format}: shows nothing at the path before close, the whole file after`, async () => {
        const file = path.join(dir, `atomic.${format}`);
        const table = awkwardTable();

        const writer = await openTableWriter(file, format, table.schema);
        await writer.write(table);
        const temporaries = readdirSync(dir).filter((name) =>
          name.startsWith(`.atomic.${format}.tmp-${process.pid}-`),
        );

        assert.equal(existsSync(file), false);
        assert.equal(temporaries.length, 1);
        await writer.close();
        assert.equal((await readTable(file)).numRows, 6);
        assert.equal(existsSync(path.join(dir, temporaries[0]!)), false);
      });

      it(`${format}: abort leaves an existing file untouched, removes the temporary`, async () => {
        const file = path.join(dir, `kept.${format}`);
        writeFileSync(file, 'previous content');
        const table = awkwardTable();

        const writer = await openTableWriter(file, format, table.schema);
        await writer.write(table);
        await writer.abort();

        assert.equal(readFileSync(file, 'utf8'), 'previous content');
        assert.deepEqual(
          readdirSync(dir).filter((name) => name.startsWith(`.kept.${format}`)),
          [],
        );
      });
    }

    it('reports a missing output directory', async () => {
      const file = path.join(dir, 'no-such-dir', 'out.parquet');

      await assert.rejects(openTableWriter(file, 'parquet', awkwardTable().schema), {
        name: 'UsageError',
        message:
          `cannot write ${file}: the directory does not exist; create the directory or ` +
          'choose another --out.',
      });
    });
  });

  it('refuses a batch whose columns differ from the schema', async () => {
    const file = path.join(dir, 'mismatch.arrow');
    const writer = await openTableWriter(file, 'arrow', awkwardTable().schema);
    const other = tableOf({ count: utf8FromStrings(['x']) });

    await assert.rejects(writer.write(other), {
      message:
        `${file}: batch columns [count: Utf8] differ from the writer's [count: Int32, ` +
        'ratio: Float64, label: Utf8, flag: Bool]',
    });
    await writer.abort();
  });
});
