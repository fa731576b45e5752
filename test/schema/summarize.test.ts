// Tests of per-column summaries for inspect-data.
import assert from 'node:assert/strict';

import { boolVector, float64Vector, utf8FromStrings } from '../../src/io/arrow-build.ts';
import { BOOLEAN_SPELLING_KEY } from '../../src/io/boolean-spelling.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { formatSummary, summarizeTable } from '../../src/schema/summarize.ts';
import { tableOf } from '../io/helpers.ts';

describe('summarizeTable', () => {
  const table = tableOf(
    {
      x: float64Vector(Float64Array.from([1, 2, 3, 6, 0]), Uint8Array.from([1, 1, 1, 1, 0])),
      c: utf8FromStrings(['a', 'b', 'a', null, 'a']),
      when: utf8FromStrings(['2020-01-01', '2020-01-03', null, null, '2020-01-02']),
      ok: boolVector(Uint8Array.from([1, 1, 0, 1, 1])),
    },
    { ok: new Map([[BOOLEAN_SPELLING_KEY, 'TRUE/FALSE']]) },
  );
  const metadata: TableMetadata = {
    columns: [
      { name: 'x', type: 'continuous' },
      { name: 'c', type: 'categorical' },
      { name: 'when', type: 'datetime', format: '%Y-%m-%d' },
      { name: 'ok', type: 'boolean' },
    ],
  };

  it('gives nulls, distinct counts, moments of numbers and datetimes, and top values', () => {
    const summary = summarizeTable(table, metadata);

    // x: values 1, 2, 3, 6: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
    assert.equal(summary.rows, 5);
    assert.deepEqual(summary.columns[0], {
      name: 'x',
      type: 'continuous',
      arrowType: 'Float64',
      nulls: 1,
      distinct: 4,
      min: 1,
      max: 6,
      mean: 3,
      std: Math.sqrt(3.5),
    });
    assert.deepEqual(summary.columns[1], {
      name: 'c',
      type: 'categorical',
      arrowType: 'Utf8',
      nulls: 1,
      distinct: 2,
      top: [
        { value: 'a', count: 3 },
        { value: 'b', count: 1 },
      ],
    });
    const day = 86_400_000;
    assert.deepEqual(summary.columns[2], {
      name: 'when',
      type: 'datetime',
      arrowType: 'Utf8',
      nulls: 2,
      distinct: 3,
      min: Date.UTC(2020, 0, 1),
      max: Date.UTC(2020, 0, 3),
      mean: Date.UTC(2020, 0, 2),
      std: Math.sqrt(2 / 3) * day,
      minText: '2020-01-01',
      maxText: '2020-01-03',
    });
    assert.deepEqual(summary.columns[3]!.top, [
      { value: 'TRUE', count: 4 },
      { value: 'FALSE', count: 1 },
    ]);
  });

  it('renders a line per column and the top values', () => {
    const text = formatSummary(summarizeTable(table, metadata));

    assert.equal(
      text,
      [
        '5 rows, 4 columns',
        'x       continuous  Float64                nulls       1  distinct       4' +
          '  min 1  max 6  mean 3  std 1.87083',
        'c       categorical Utf8                   nulls       1  distinct       2',
        '        top: "a" 3, "b" 1',
        'when    datetime    Utf8                   nulls       2  distinct       3' +
          '  2020-01-01 .. 2020-01-03',
        'ok      boolean     Bool                   nulls       0  distinct       2',
        '        top: "TRUE" 4, "FALSE" 1',
      ].join('\n'),
    );
  });
});
