// Tests of metadata inference from a table's Arrow types and values.
import assert from 'node:assert/strict';

import * as arrow from 'apache-arrow';

import {
  boolVector,
  float64Vector,
  int32Vector,
  utf8FromStrings,
} from '../../src/io/arrow-build.ts';
import { inferMetadata } from '../../src/schema/infer-metadata.ts';
import { tableOf } from '../io/helpers.ts';

describe('inferMetadata', () => {
  const rows = 25;
  const range = (make: (i: number) => string) => Array.from({ length: rows }, (_, i) => make(i));

  it('types columns by the documented rules, in table order', () => {
    const table = tableOf({
      flag: boolVector(Uint8Array.from(range((i) => String(i % 2)).map(Number))),
      stamp: arrow.vectorFromArray(
        range((i) => String(i)).map((i) => Date.UTC(2020, 0, 1 + Number(i))),
        new arrow.TimestampMillisecond(),
      ),
      day: utf8FromStrings(range((i) => `2020-01-${String(i + 1).padStart(2, '0')}`)),
      customer_id: int32Vector(Int32Array.from(range((i) => String(1000 + i)).map(Number))),
      token: utf8FromStrings(range((i) => `t${i * 7919}`)),
      count: int32Vector(Int32Array.from(range((i) => String(i % 5)).map(Number))),
      ratio: float64Vector(Float64Array.from(range((i) => String(i / 4)).map(Number))),
      whole: float64Vector(Float64Array.from(range((i) => String(i * 2)).map(Number))),
      color: utf8FromStrings(range((i) => ['red', 'green', null][i % 3]!)),
    });

    const metadata = inferMetadata(table);

    assert.deepEqual(metadata.columns, [
      { name: 'flag', type: 'boolean' },
      { name: 'stamp', type: 'datetime' },
      { name: 'day', type: 'datetime', format: '%Y-%m-%d' },
      { name: 'customer_id', type: 'id' },
      { name: 'token', type: 'id' },
      { name: 'count', type: 'continuous', integer: true },
      { name: 'ratio', type: 'continuous', integer: false },
      { name: 'whole', type: 'continuous', integer: true },
      { name: 'color', type: 'categorical' },
    ]);
  });

  it('keeps unique numbers continuous without an id name, few unique strings categorical', () => {
    const table = tableOf({
      amount: int32Vector(Int32Array.from([5, 9, 2])),
      name: utf8FromStrings(['ann', 'bob', 'cy']),
      key: utf8FromStrings(['a', 'b', 'c']),
      idea: utf8FromStrings(['x', 'y', 'z']),
    });

    const types = inferMetadata(table).columns.map((column) => column.type);

    assert.deepEqual(types, ['continuous', 'categorical', 'id', 'categorical']);
  });
});
