// Tests of the user errors readTable raises for bad input: each names the file (and the
// column, line and value where there is one) and says what to do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { readTable } from '../../src/io/read-table.ts';
import { openTableWriter } from '../../src/io/table-writer.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { UserError } from '../../src/util/errors.ts';
import { awkwardTable, makeTempDir, removeDir, vegaData, writeFile } from './helpers.ts';

describe('readTable errors', () => {
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => removeDir(dir));

  /** Reads `content` from a new file and expects an InvalidDataError with `message`. */
  async function expectError(
    name: string,
    content: string | Uint8Array,
    message: (file: string) => string,
    metadata?: TableMetadata,
  ): Promise<void> {
    const file = writeFile(dir, name, content);
    await assert.rejects(readTable(file, { metadata }), (error: unknown) => {
      assert.ok(error instanceof UserError, `not a user error: ${String(error)}`);
      assert.equal(error.exitCode, 2);
      assert.equal(error.name, 'InvalidDataError');
      assert.equal(error.message, message(file));
      return true;
    });
  }

  describe('files', () => {
    it('reports a missing file', async () => {
      const file = path.join(dir, 'absent.csv');

      await assert.rejects(readTable(file), {
        name: 'InvalidDataError',
        message: `${file}: no such file; check the path (--data or data.path).`,
      });
    });

    it('reports an unknown extension with the supported ones', async () => {
      await expectError(
        'table.xlsx',
        'x',
        (file) =>
          `${file}: extension ".xlsx" is not a table format tabsynth reads; supported ` +
          'extensions: .csv, .tsv, .parquet, .arrow, .feather, .ipc, .arrows, .json, .jsonl, ' +
          '.ndjson. Rename the file or convert it to one of these.',
      );
    });

    it('reports an empty file', async () => {
      await expectError(
        'empty.csv',
        '',
        (file) =>
          `${file}: the file is empty (0 bytes); a table needs a header and at least one row.`,
      );
    });

    it('reports a header without rows', async () => {
      await expectError(
        'header.csv',
        'a,b\n',
        (file) => `${file}: the table has a header but no rows; it needs at least one row.`,
      );
    });
  });

  describe('CSV rows', () => {
    it('reports a row with too many fields, naming its line', async () => {
      await expectError(
        'long.csv',
        'a,b\n1,2\n3,4,5\n',
        (file) =>
          `${file}: line 3 has 3 fields but the header has 2; every row needs one value per ` +
          'column (quote values that contain the delimiter "," or a line break).',
      );
    });

    it('reports a row with too few fields, counting line breaks inside quoted fields', async () => {
      await expectError(
        'short.csv',
        'a,b\n"x\ny",1\n"p\nq\nr",2\n3\n',
        (file) =>
          `${file}: line 7 has 1 field but the header has 2; every row needs one value per ` +
          'column (quote values that contain the delimiter "," or a line break).',
      );
    });

    it('reports malformed quotes', async () => {
      await expectError(
        'quotes.csv',
        'a,b\n1,2\n"x"y,3\n',
        (file) =>
          `${file}: line 3: malformed quotes (trailing quote on quoted field is malformed); a ` +
          'quoted value must end with a quote followed by the delimiter or the end of the ' +
          'line, and quotes inside it are doubled ("").',
      );
    });

    it('reports a duplicated column name', async () => {
      await expectError(
        'dup.csv',
        'a,b,a\n1,2,3\n',
        (file) =>
          `${file}: line 1: column name "a" appears twice in the header; ` +
          'column names must be unique.',
      );
    });
  });

  describe('values', () => {
    it('reports text in a declared-continuous column with column, line and value', async () => {
      await expectError(
        'age.csv',
        'age,w\n39,x\nabc,y\n',
        (file) =>
          `${file}: column "age", line 3: "abc" is not a number, but the metadata types the ` +
          'column continuous. Declare the value missing ("missingValues": ["abc"]), fix the ' +
          'file, or type the column categorical.',
        { columns: [{ name: 'age', type: 'continuous' }] },
      );
    });

    it('reports NaN in a numeric column unless it is declared missing', async () => {
      await expectError(
        'nan.csv',
        'x\n1.5\n2\nNaN\n',
        (file) =>
          `${file}: column "x", line 4: "NaN" (not a number) is in a numeric column; tabsynth ` +
          'cannot learn NaN or infinite values. Declare the spelling missing ("missingValues": ' +
          '["NaN"]) to read it as null, or replace it with a finite number.',
      );
    });

    it('reports infinities', async () => {
      await expectError(
        'inf.csv',
        'x\n1\n-inf\n',
        (file) =>
          `${file}: column "x", line 3: "-inf" is infinite; tabsynth cannot learn NaN or ` +
          'infinite values. Declare the spelling missing ("missingValues": ["-inf"]) to read ' +
          'it as null, or replace it with a finite number.',
      );
    });

    it('reports numbers that overflow to infinity', async () => {
      await expectError(
        'overflow.csv',
        'x\n1\n1e309\n',
        (file) =>
          `${file}: column "x", line 3: "1e309" is too large for a 64-bit float (it would ` +
          'become infinity); tabsynth cannot learn NaN or infinite values. Declare the ' +
          'spelling missing ("missingValues": ["1e309"]) to read it as null, or replace it ' +
          'with a finite number.',
      );
    });

    it('reports a column that is null in every row', async () => {
      await expectError(
        'nulls.csv',
        'a,b\n1,\n2, ?\n',
        (file) =>
          `${file}: column "b" is null (empty or a declared missing value) in every row; drop ` +
          'the column from the file and the metadata, or give it values.',
        {
          columns: [
            { name: 'a', type: 'continuous' },
            { name: 'b', type: 'categorical', missingValues: [' ?'] },
          ],
        },
      );
    });

    it('reports a non-boolean value in a declared boolean column', async () => {
      await expectError(
        'bool.csv',
        'b\nTrue\nyes\n',
        (file) =>
          `${file}: column "b", line 3: "yes" is not a boolean, but the metadata types the ` +
          'column boolean (accepted: true/false, True/False, TRUE/FALSE). Declare the value ' +
          'missing, fix the file, or type the column categorical.',
        { columns: [{ name: 'b', type: 'boolean' }] },
      );
    });
  });

  describe('JSON', () => {
    it('reports JSON that is not an array of records', async () => {
      await expectError(
        'object.json',
        '{"a": [1, 2], "b": [3, 4]}',
        (file) =>
          `${file}: the JSON is an object, not an array of records; a JSON table is an array ` +
          'of records like [{"a": 1, "b": "x"}, ...] (or JSON Lines, one record per line, in ' +
          'a .jsonl file).',
      );
    });

    it('reports a record that is not an object', async () => {
      await expectError(
        'numbers.json',
        '[{"a": 1}, 2]',
        (file) =>
          `${file}: record 2 is a number, not an object; a JSON table is an array of records ` +
          'like [{"a": 1, "b": "x"}, ...].',
      );
    });

    it('reports nested values, naming record and key', async () => {
      await expectError(
        'nested.json',
        '[{"a": 1, "b": "x"}, {"a": 2, "b": {"c": 3}}]',
        (file) =>
          `${file}: record 2, key "b": the value is an object, but a table cell must be a ` +
          'string, number, boolean or null. Flatten the records so that each key holds one value.',
      );
    });

    it('reports invalid JSON', async () => {
      await expectError(
        'broken.json',
        '[{"a": 1},',
        (file) =>
          `${file}: not valid JSON (Unexpected end of JSON input); a JSON table is an array ` +
          'of records like [{"a": 1, "b": "x"}, ...].',
      );
    });

    it('reports a JSON Lines key the first record lacks', async () => {
      await expectError(
        'extra.jsonl',
        '{"a": 1}\n{"a": 2, "b": 3}\n',
        (file) =>
          `${file}: line 2 has key "b", which the first record does not have; list every key ` +
          'in the first record (with null where it has no value).',
      );
    });
  });

  describe('binary formats', () => {
    it('reports a Parquet file cut in half', async () => {
      const whole = readFileSync(path.join(vegaData, 'flights-3m.parquet'));
      const half = whole.subarray(0, Math.floor(whole.length / 2));

      await expectError(
        'cut.parquet',
        half,
        (file) =>
          `${file}: not a readable Parquet file (Parquet error: Invalid Parquet file. Corrupt ` +
          'footer); the file may be cut short or not be Parquet at all. Write it again or ' +
          'check its extension.',
      );
    });

    it('reports an Arrow file cut short', async () => {
      const source = path.join(dir, 'whole.arrow');
      const writer = await openTableWriter(source, 'arrow', awkwardTable().schema);
      await writer.write(awkwardTable());
      await writer.close();
      const whole = readFileSync(source);

      await assert.rejects(readTable(writeFile(dir, 'cut.arrow', whole.subarray(0, 200))), {
        name: 'InvalidDataError',
        message: new RegExp(
          `^${dir}/cut\\.arrow: the Arrow data is damaged or cut short \\(.+\\); ` +
            'write the file again\\.$',
        ),
      });
    });

    it('reports a file that is not Arrow at all', async () => {
      await expectError(
        'text.arrow',
        'a,b\n1,2\n',
        (file) =>
          `${file}: not an Arrow IPC file or stream (the first bytes are neither "ARROW1" nor ` +
          'a stream message); check that the file is complete and really Arrow.',
      );
    });
  });
});
