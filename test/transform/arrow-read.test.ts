// Tests of the raw-buffer Arrow readers and builders: chunked and sliced columns, nulls,
// dictionaries with a different dictionary per chunk, and ids in the shape of the real ones.
import assert from 'node:assert/strict';

import * as arrow from 'apache-arrow';

import { readCategories, readNumbers } from '../../src/transform/arrow-read.ts';
import { generateIds, learnIdPattern } from '../../src/transform/id-model.ts';

function chunked<T extends arrow.DataType>(parts: unknown[][], type: T): arrow.Vector<T> {
  const vectors = parts.map((part) => arrow.vectorFromArray(part, type));
  return new arrow.Vector(vectors.flatMap((vector) => vector.data));
}

describe('Arrow column readers', () => {
  describe('readNumbers', () => {
    it('reads chunked, sliced columns with nulls and NaN as missing', () => {
      const vector = chunked(
        [
          [1, null, 3],
          [Number.NaN, 5, 6, null, 8],
        ],
        new arrow.Float64(),
      ).slice(1, 7);

      const column = readNumbers(vector, 'x');

      assert.deepEqual([...column.values], [0, 3, 0, 5, 6, 0]);
      assert.deepEqual([...column.valid!], [0, 1, 0, 1, 1, 0]);
      assert.equal(column.nulls, 3);
    });

    it('rejects an infinite value, naming column and row', () => {
      const vector = arrow.vectorFromArray([1, Number.NEGATIVE_INFINITY], new arrow.Float64());

      assert.throws(() => readNumbers(vector, 'fare'), {
        name: 'InvalidDataError',
        message:
          'Column "fare", row 2: -Infinity is not a finite number. Replace it with a finite ' +
          'value or null it in the file.',
      });
    });

    it('reads timestamps and dates as epoch milliseconds', () => {
      const when = new Date(Date.UTC(2020, 1, 3, 4, 5, 6));
      const micros = arrow.vectorFromArray([when], new arrow.TimestampMicrosecond());
      const days = arrow.vectorFromArray([when], new arrow.DateDay());

      assert.equal(readNumbers(micros, 't').values[0], when.getTime());
      assert.equal(readNumbers(days, 'd').values[0], Date.UTC(2020, 1, 3));
    });
  });

  describe('readCategories', () => {
    it('codes text by first appearance across chunks and slices, null included', () => {
      const vector = chunked(
        [
          ['a', ' a', null],
          ['ü', 'a', ' a'],
        ],
        new arrow.Utf8(),
      ).slice(1);

      const coded = readCategories(vector, 'x');

      assert.deepEqual(coded.values, [' a', null, 'ü', 'a']);
      assert.deepEqual([...coded.codes], [0, 1, 2, 3, 0]);
    });

    it('maps each chunk of a dictionary column through its own dictionary', () => {
      const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
      const vector = chunked(
        [
          ['x', 'y'],
          ['y', 'z', null],
        ],
        type,
      );

      const coded = readCategories(vector, 'x');

      assert.deepEqual(coded.values, ['x', 'y', 'z', null]);
      assert.deepEqual([...coded.codes], [0, 1, 1, 2, 3]);
    });

    it('keeps booleans, numbers and bigints as their own types', () => {
      const flags = readCategories(chunked([[true, null, false]], new arrow.Bool()).slice(1), 'b');
      const big = readCategories(arrow.vectorFromArray([5n, 5n, 2n], new arrow.Int64()), 'i');

      assert.deepEqual(flags.values, [null, false]);
      assert.deepEqual(big.values, [5n, 2n]);
    });
  });
});

describe('id columns', () => {
  it('writes UUID-shaped ids for UUID columns', () => {
    const vector = arrow.vectorFromArray(
      ['123e4567-e89b-12d3-a456-426614174000', 'A23E4567-E89B-12D3-A456-426614174001'],
      new arrow.Utf8(),
    );
    const pattern = learnIdPattern(vector, { kind: 'utf8' }, 'id');

    const ids = arrow.makeVector(generateIds(pattern, { kind: 'utf8' }, 2, 255));

    assert.deepEqual(pattern, { kind: 'uuid' });
    assert.deepEqual(
      [...ids],
      ['00000000-0000-4000-8000-0000000000ff', '00000000-0000-4000-8000-000000000100'],
    );
  });

  it('falls back to "id-" and a number when the ids share no numbered shape', () => {
    const vector = arrow.vectorFromArray(['alpha', 'beta7'], new arrow.Utf8());
    const pattern = learnIdPattern(vector, { kind: 'utf8' }, 'id');

    const ids = arrow.makeVector(generateIds(pattern, { kind: 'utf8' }, 2, 0));

    assert.deepEqual([...ids], ['id-0', 'id-1']);
  });

  it('pads numbers only when every real id has the same number of digits', () => {
    const vector = arrow.vectorFromArray(['u7x', 'u12x'], new arrow.Utf8());
    const pattern = learnIdPattern(vector, { kind: 'utf8' }, 'id');

    assert.deepEqual(pattern, { kind: 'text', prefix: 'u', suffix: 'x', width: 0 });
  });
});
