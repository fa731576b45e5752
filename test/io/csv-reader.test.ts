// Tests of reading CSV and TSV: quoting, encodings, type inference, declared types,
// missing values, and seeded sampling with maxRows.
import assert from 'node:assert/strict';

import { BOOLEAN_SPELLING_KEY } from '../../src/io/boolean-spelling.ts';
import { readTable } from '../../src/io/read-table.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { makeTempDir, removeDir, rowsOf, typesOf, writeFile } from './helpers.ts';

describe('readTable on CSV', () => {
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => removeDir(dir));

  describe('parsing', () => {
    it('reads RFC 4180 quoting: delimiters, line breaks, doubled quotes in fields', async () => {
      const file = writeFile(dir, 'quotes.csv', 'a,b\n"x,y","say ""hi"""\n"two\nlines",plain\n');

      const table = await readTable(file);

      assert.deepEqual(rowsOf(table), [
        { a: 'x,y', b: 'say "hi"' },
        { a: 'two\nlines', b: 'plain' },
      ]);
    });

    it('reads UTF-8 with a byte order mark and CRLF line ends', async () => {
      const file = writeFile(dir, 'bom.csv', '\uFEFFname,n\r\nünï,1\r\n"a\r\nb",2\r\n');

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['name: Utf8', 'n: Int32']);
      assert.deepEqual(rowsOf(table), [
        { name: 'ünï', n: 1 },
        { name: 'a\r\nb', n: 2 },
      ]);
    });

    it('keeps categorical values byte for byte, leading spaces included', async () => {
      const file = writeFile(dir, 'spaces.csv', 'w,n\n Private,1\n  Self-emp ,2\n ?,3\n');

      const table = await readTable(file);

      assert.deepEqual(
        rowsOf(table).map((row) => row.w),
        [' Private', '  Self-emp ', ' ?'],
      );
    });

    it('reads TSV files with tabs as the delimiter', async () => {
      const file = writeFile(dir, 'data.tsv', 'a\tb\n1\tx,y\n2\t"q\tr"\n');

      const table = await readTable(file);

      assert.deepEqual(rowsOf(table), [
        { a: 1, b: 'x,y' },
        { a: 2, b: 'q\tr' },
      ]);
    });

    it('skips blank lines between rows', async () => {
      const file = writeFile(dir, 'blank.csv', 'a,b\n1,2\n\n3,4\n');

      assert.deepEqual(rowsOf(await readTable(file)), [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ]);
    });
  });

  describe('type inference', () => {
    it('types columns Int32, Float64, Bool and Utf8 and reads empty cells as null', async () => {
      const file = writeFile(
        dir,
        'types.csv',
        'i,f,b,s,d\n1,1.5,True,x,2019-03-01 08:05:00\n,2,False,,2019-03-02 08:05:00\n-3,,,z,\n',
      );

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['i: Int32', 'f: Float64', 'b: Bool', 's: Utf8', 'd: Utf8']);
      assert.deepEqual(rowsOf(table), [
        { i: 1, f: 1.5, b: true, s: 'x', d: '2019-03-01 08:05:00' },
        { i: null, f: 2, b: false, s: null, d: '2019-03-02 08:05:00' },
        { i: -3, f: null, b: null, s: 'z', d: null },
      ]);
      assert.equal(table.schema.fields[2]!.metadata.get(BOOLEAN_SPELLING_KEY), 'True/False');
    });

    it('records the boolean spelling, and keeps mixed spellings as text', async () => {
      const file = writeFile(
        dir,
        'bools.csv',
        'lower,upper,mixed\ntrue,TRUE,True\nfalse,FALSE,true\n',
      );

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['lower: Bool', 'upper: Bool', 'mixed: Utf8']);
      const spellings = table.schema.fields.map((field) =>
        field.metadata.get(BOOLEAN_SPELLING_KEY),
      );
      assert.deepEqual(spellings, ['true/false', 'TRUE/FALSE', undefined]);
    });

    it('keeps numbers with leading zeros as text (codes, zip codes)', async () => {
      const file = writeFile(dir, 'zip.csv', 'zip,code\n02134,007\n10001,12\n');

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['zip: Utf8', 'code: Utf8']);
      assert.deepEqual(rowsOf(table)[0], { zip: '02134', code: '007' });
    });

    it('reads integers beyond int32 as Float64, and beyond 2^53 as text', async () => {
      const file = writeFile(dir, 'big.csv', 'wide,huge\n2147483648,9007199254740993\n-5,1\n');

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['wide: Float64', 'huge: Utf8']);
      assert.deepEqual(rowsOf(table)[0], { wide: 2147483648, huge: '9007199254740993' });
    });

    it('reads exponents and signs as Float64', async () => {
      const file = writeFile(dir, 'exp.csv', 'x\n1e3\n-2.5E-2\n+4\n.5\n');

      const table = await readTable(file);

      assert.deepEqual(typesOf(table), ['x: Float64']);
      assert.deepEqual(
        rowsOf(table).map((row) => row.x),
        [1000, -0.025, 4, 0.5],
      );
    });
  });

  describe('declared metadata', () => {
    it('reads declared missing values as null by exact match', async () => {
      const file = writeFile(dir, 'missing.csv', 'w,n\n Private,1\n ?,NA\n?,2\n');
      const metadata: TableMetadata = {
        columns: [
          { name: 'w', type: 'categorical', missingValues: [' ?'] },
          { name: 'n', type: 'continuous', missingValues: ['NA'] },
        ],
      };

      const table = await readTable(file, { metadata });

      assert.deepEqual(typesOf(table), ['w: Utf8', 'n: Int32']);
      assert.deepEqual(rowsOf(table), [
        { w: ' Private', n: 1 },
        { w: null, n: null },
        { w: '?', n: 2 },
      ]);
    });

    it('keeps integer codes of a categorical column Int32 but decimals as exact text', async () => {
      const file = writeFile(dir, 'codes.csv', 'code,price\n1,1.50\n2,2.0\n');
      const metadata: TableMetadata = {
        columns: [
          { name: 'code', type: 'categorical' },
          { name: 'price', type: 'categorical' },
        ],
      };

      const table = await readTable(file, { metadata });

      assert.deepEqual(typesOf(table), ['code: Int32', 'price: Utf8']);
      assert.deepEqual(rowsOf(table)[0], { code: 1, price: '1.50' });
    });

    it('reads declared-continuous padded numbers, and NaN declared missing', async () => {
      const file = writeFile(dir, 'padded.csv', 'x\n 39\n4.5 \nNaN\n');
      const metadata: TableMetadata = {
        columns: [{ name: 'x', type: 'continuous', missingValues: ['NaN'] }],
      };

      const table = await readTable(file, { metadata });

      assert.deepEqual(typesOf(table), ['x: Float64']);
      assert.deepEqual(
        rowsOf(table).map((row) => row.x),
        [39, 4.5, null],
      );
    });

    it('reads a declared boolean column in any spelling', async () => {
      const file = writeFile(dir, 'declared-bool.csv', 'b\nTrue\nfalse\n');
      const metadata: TableMetadata = { columns: [{ name: 'b', type: 'boolean' }] };

      const table = await readTable(file, { metadata });

      assert.deepEqual(
        rowsOf(table).map((row) => row.b),
        [true, false],
      );
      assert.equal(table.schema.fields[0]!.metadata.get(BOOLEAN_SPELLING_KEY), 'True/False');
    });

    it('keeps a declared datetime column as text for the transformer to parse', async () => {
      const file = writeFile(dir, 'dates.csv', 'd\n2019\n2020\n');
      const metadata: TableMetadata = { columns: [{ name: 'd', type: 'datetime', format: '%Y' }] };

      const table = await readTable(file, { metadata });

      assert.deepEqual(typesOf(table), ['d: Utf8']);
    });
  });

  describe('maxRows', () => {
    let file: string;
    before(() => {
      const lines = ['id,group'];
      for (let i = 0; i < 10_000; i++) lines.push(`${i},g${i % 7}`);
      file = writeFile(dir, 'many.csv', `${lines.join('\n')}\n`);
    });

    it('keeps a uniform sample of at most maxRows rows, in file order', async () => {
      const table = await readTable(file, { maxRows: 1000, seed: 3 });
      const ids = rowsOf(table).map((row) => row.id as number);

      assert.equal(table.numRows, 1000);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      assert.equal(new Set(ids).size, 1000);
      // The mean of 1,000 ids drawn without replacement from 0..9999 has a standard
      // deviation of 2887 / sqrt(1000) * sqrt(0.9) = 87; 4 deviations is 350.
      const mean = ids.reduce((sum, id) => sum + id, 0) / ids.length;
      assert.ok(Math.abs(mean - 4999.5) < 350, `mean ${mean}`);
      // A quarter of the sample should come from each quarter of the file (binomial sd 14).
      const firstQuarter = ids.filter((id) => id < 2500).length;
      assert.ok(Math.abs(firstQuarter - 250) < 60, `first quarter ${firstQuarter}`);
    });

    it('gives the same rows for the same seed and other rows for another seed', async () => {
      const first = rowsOf(await readTable(file, { maxRows: 50, seed: 1 }));
      const again = rowsOf(await readTable(file, { maxRows: 50, seed: 1 }));
      const other = rowsOf(await readTable(file, { maxRows: 50, seed: 2 }));

      assert.deepEqual(first, again);
      assert.notDeepEqual(first, other);
    });

    it('returns every row when the file has fewer than maxRows', async () => {
      const table = await readTable(file, { maxRows: 20_000 });

      assert.equal(table.numRows, 10_000);
      assert.equal(table.getChild('id')!.get(9999), 9999);
    });

    it('rejects a maxRows that is not a positive integer', async () => {
      await assert.rejects(readTable(file, { maxRows: 0 }), {
        name: 'ConfigError',
        message: 'data.maxRows must be a positive integer or null, got 0.',
      });
    });
  });
});
