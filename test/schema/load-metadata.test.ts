// Tests of loading and saving the metadata JSON, and of the errors that name key paths.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadMetadata, parseMetadata, saveMetadata } from '../../src/schema/load-metadata.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';

describe('metadata files', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tabsynth-meta-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Expects parseMetadata(json) to fail with `message` after the file prefix. */
  function expectError(json: unknown, message: string): void {
    assert.throws(() => parseMetadata(json, 'meta.json'), {
      name: 'InvalidMetadataError',
      message: `meta.json: ${message}`,
    });
  }

  describe('#loadMetadata', () => {
    it('reads the CTGAN format with the optional keys', async () => {
      const file = path.join(dir, 'full.json');
      writeFileSync(
        file,
        JSON.stringify({
          columns: [
            { name: 'age', type: 'continuous', integer: true, extrapolate: false },
            { name: 'edu', type: 'ordinal', order: [' HS', ' BA'] },
            { name: 'when', type: 'datetime', format: '%Y-%m-%d' },
            { name: 'w', type: 'categorical', missingValues: [' ?'] },
            { name: 'income', type: 'categorical' },
          ],
          target: 'income',
          positiveClass: ' >50K',
        }),
      );

      const metadata = await loadMetadata(file);

      assert.deepEqual(metadata, {
        columns: [
          { name: 'age', type: 'continuous', integer: true, extrapolate: false },
          { name: 'edu', type: 'ordinal', order: [' HS', ' BA'] },
          { name: 'when', type: 'datetime', format: '%Y-%m-%d' },
          { name: 'w', type: 'categorical', missingValues: [' ?'] },
          { name: 'income', type: 'categorical' },
        ],
        target: 'income',
        positiveClass: ' >50K',
      });
    });

    it('reports a missing file and invalid JSON', async () => {
      const absent = path.join(dir, 'absent.json');
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, '{"columns": [');

      await assert.rejects(loadMetadata(absent), {
        name: 'InvalidMetadataError',
        message: `${absent}: no such file; check the metadata path (--metadata).`,
      });
      await assert.rejects(loadMetadata(broken), {
        name: 'InvalidMetadataError',
        message: `${broken}: not valid JSON (Unexpected end of JSON input).`,
      });
    });
  });

  describe('#parseMetadata errors', () => {
    const column = { name: 'a', type: 'continuous' };

    it('names an unknown column key by its path and lists the valid keys', () => {
      expectError(
        { columns: [column, column, column, { name: 'd', tpye: 'categorical' }] },
        'unknown key "columns[3].tpye"; valid keys of columns[3]: name, type, order, format, ' +
          'missingValues, integer, extrapolate.',
      );
    });

    it('names an unknown top-level key', () => {
      expectError(
        { columns: [column], targt: 'a' },
        'unknown key "targt"; valid keys: columns, target, positiveClass, positive_class.',
      );
    });

    it('lists the valid types for an unknown type', () => {
      expectError(
        { columns: [{ name: 'a', type: 'numeric' }] },
        'columns[0].type "numeric" is not a column type; valid types: continuous, ' +
          'categorical, ordinal, boolean, datetime, id.',
      );
    });

    it('requires an ordinal order to be an array of strings', () => {
      expectError(
        { columns: [{ name: 'a', type: 'ordinal', order: [1, 2] }] },
        'columns[0].order must be an array of strings, like [" ?", "NA"].',
      );
    });

    it('reports duplicated column names', () => {
      expectError(
        { columns: [column, { name: 'b', type: 'categorical' }, column] },
        'columns[2].name "a" repeats columns[0].name; each column may be listed once.',
      );
    });

    it('reports options given to a type they do not apply to', () => {
      expectError(
        { columns: [{ name: 'a', type: 'categorical', format: '%Y' }] },
        'columns[0].format applies to datetime columns, not categorical.',
      );
    });

    it('reports an unknown datetime directive', () => {
      expectError(
        { columns: [{ name: 'a', type: 'datetime', format: '%Y-%q' }] },
        'columns[0].format: datetime format "%Y-%q" has an unknown directive "%q"; known ' +
          'directives: %Y %y %m %d %H %I %p %M %S %f %b %B %j %a %A %% (write %-m for no zero ' +
          'padding, %3f for 3 digits)',
      );
    });

    it('reports a target that is not a column and a missing columns array', () => {
      expectError(
        { columns: [column], target: 'income' },
        '"target" names "income", which is not in "columns".',
      );
      expectError(
        { target: 'a' },
        '"columns" must be a non-empty array of {"name": ..., "type": ...} objects.',
      );
      expectError([column], 'the metadata must be a JSON object with a "columns" array.');
    });

    it('accepts positive_class as an alias of positiveClass, but not both', () => {
      const metadata = parseMetadata(
        { columns: [column], target: 'a', positive_class: 'x' },
        'meta.json',
      );

      assert.equal(metadata.positiveClass, 'x');
      expectError(
        { columns: [column], target: 'a', positive_class: 'x', positiveClass: 'x' },
        'give "positiveClass" or its alias "positive_class", not both.',
      );
    });
  });

  describe('#saveMetadata', () => {
    it('writes pretty JSON atomically that loads back equal', async () => {
      const file = path.join(dir, 'saved.json');
      const metadata: TableMetadata = {
        columns: [
          { name: 'when', type: 'datetime', format: '%Y-%m-%d %H:%M:%S' },
          { name: 'age', integer: true, type: 'continuous' },
        ],
        target: 'age',
      };

      await saveMetadata(file, metadata);

      const text = readFileSync(file, 'utf8');
      assert.ok(
        text.startsWith(
          '{\n  "columns": [\n    {\n      "name": "when",\n      "type": "datetime"',
        ),
      );
      assert.ok(text.endsWith('}\n'));
      assert.deepEqual(await loadMetadata(file), metadata);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.includes('.tmp-')),
        [],
      );
    });
  });
});
