// Tests of checking metadata against its table, and of the completion of datetime formats.
import assert from 'node:assert/strict';

import {
  boolVector,
  float64Vector,
  int32Vector,
  utf8FromStrings,
} from '../../src/io/arrow-build.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { validateMetadata } from '../../src/schema/validate-metadata.ts';
import { tableOf } from '../io/helpers.ts';

const files = { data: 'data.csv', metadata: 'meta.json' };

describe('validateMetadata', () => {
  const table = tableOf({
    age: int32Vector(Int32Array.from([39, 50, 38])),
    edu: utf8FromStrings([' HS', ' BA', ' PhD']),
    when: utf8FromStrings(['2019-03-01 08:05:00', '2019-03-02 09:00:00', null]),
    flag: boolVector(Uint8Array.from([1, 0, 1])),
    ratio: float64Vector(Float64Array.from([0.5, 1, 2])),
  });
  const good: TableMetadata = {
    columns: [
      { name: 'age', type: 'continuous', integer: true },
      { name: 'edu', type: 'ordinal', order: [' HS', ' BA', ' PhD'] },
      { name: 'when', type: 'datetime', format: '%Y-%m-%d %H:%M:%S' },
      { name: 'flag', type: 'boolean' },
      { name: 'ratio', type: 'continuous' },
    ],
  };
  /** `good` with column `name` replaced by `column`. */
  function withColumn(name: string, column: TableMetadata['columns'][number]): TableMetadata {
    return { columns: good.columns.map((entry) => (entry.name === name ? column : entry)) };
  }
  function expectError(metadata: TableMetadata, message: string): void {
    assert.throws(() => validateMetadata(metadata, table, files), {
      name: 'InvalidMetadataError',
      message,
    });
  }

  it('accepts metadata that fits the table and returns it unchanged', () => {
    assert.deepEqual(validateMetadata(good, table, files), good);
  });

  it('names columns on one side only, and both files', () => {
    const metadata: TableMetadata = {
      columns: [
        ...good.columns.filter((column) => column.name !== 'ratio'),
        { name: 'Age', type: 'continuous' },
      ],
    };

    expectError(
      metadata,
      'meta.json does not match the table: it names "Age", which data.csv lacks; it lacks ' +
        '"ratio", which data.csv has. List every column of the table once, spelled exactly ' +
        'as in its header.',
    );
  });

  it('names an ordinal value missing from order', () => {
    expectError(
      withColumn('edu', { name: 'edu', type: 'ordinal', order: [' HS', ' BA'] }),
      'meta.json: column "edu" (ordinal) of data.csv: row 3 holds " PhD", which "order" does ' +
        'not list; add it to "order" (spelled exactly) or declare it missing.',
    );
  });

  it('names a datetime value that does not parse with the format', () => {
    expectError(
      withColumn('when', { name: 'when', type: 'datetime', format: '%Y-%m-%d' }),
      'meta.json: column "when" (datetime) of data.csv: row 1 holds "2019-03-01 08:05:00", ' +
        'which does not parse with format "%Y-%m-%d"; fix the value, the format, or declare ' +
        'the value missing.',
    );
  });

  it('fills in the format of a text datetime column declared without one', () => {
    const completed = validateMetadata(
      withColumn('when', { name: 'when', type: 'datetime' }),
      table,
      files,
    );

    assert.deepEqual(completed.columns[2], {
      name: 'when',
      type: 'datetime',
      format: '%Y-%m-%d %H:%M:%S',
    });
  });

  it('reports non-boolean values in a boolean column', () => {
    expectError(
      withColumn('edu', { name: 'edu', type: 'boolean' }),
      'meta.json: column "edu" (boolean) of data.csv: the values are Utf8, not booleans (row ' +
        '1: " HS"); write them true/false, True/False or TRUE/FALSE, or type the column ' +
        'categorical.',
    );
  });

  it('reports text typed continuous, and fractions in an integer column', () => {
    expectError(
      withColumn('edu', { name: 'edu', type: 'continuous' }),
      'meta.json: column "edu" (continuous) of data.csv: the values are Utf8, not numbers; ' +
        'type the column categorical.',
    );
    expectError(
      withColumn('ratio', { name: 'ratio', type: 'continuous', integer: true }),
      'meta.json: column "ratio" (continuous) of data.csv: "integer": true, but row 1 holds ' +
        '0.5; remove "integer".',
    );
  });

  it('reports a positiveClass the target never takes', () => {
    expectError(
      { ...good, target: 'edu', positiveClass: 'BA' },
      'meta.json: positiveClass "BA" never occurs in column "edu" of data.csv; give one of ' +
        'its values, spelled exactly (Adult writes " >50K" with a leading space).',
    );
  });
});
