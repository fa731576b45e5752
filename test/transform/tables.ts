// Test helpers of the transform tests: where the data live, reading tables with the project's
// readers, and a column-by-column comparison of a table with its round trip.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type * as arrow from 'apache-arrow';

import { readTable } from '../../src/io/read-table.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real tables, which may be absent (tests then skip). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

/** vega-datasets' files, shipped with the npm package. */
export const VEGA_DATA = path.join(REPO_ROOT, 'node_modules/vega-datasets/data');

/** Reads a table file with the project's reader, typed by `metadata`. */
export function readTestTable(file: string, metadata: TableMetadata): Promise<arrow.Table> {
  return readTable(file, { metadata });
}

/** Reads a metadata JSON file. */
export function readMetadata(file: string): TableMetadata {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TableMetadata;
}

/**
 * Asserts that `actual` has `expected`'s schema (names, order, types, nullability) and the same
 * values: equal nulls, text byte for byte, numbers within `relative` (default 1e-3) of the
 * expected value's magnitude, or of `floor` for values near zero.
 */
export function assertSameTable(
  actual: arrow.Table,
  expected: arrow.Table,
  options: { relative?: number; floor?: number } = {},
): void {
  const relative = options.relative ?? 1e-3;
  assert.deepEqual(
    actual.schema.fields.map((field) => `${field}`),
    expected.schema.fields.map((field) => `${field}`),
    'schema',
  );
  assert.equal(actual.numRows, expected.numRows, 'rows');
  for (const field of expected.schema.fields) {
    const want = expected.getChild(field.name)!;
    const got = actual.getChild(field.name)!;
    assert.equal(got.nullCount, want.nullCount, `${field.name}: nulls`);
    for (let row = 0; row < want.length; row++) {
      const expectedValue = want.get(row) as unknown;
      const actualValue = got.get(row) as unknown;
      if (typeof expectedValue === 'number' && typeof actualValue === 'number') {
        const scale = Math.max(Math.abs(expectedValue), options.floor ?? 0);
        assert.ok(
          Math.abs(actualValue - expectedValue) <= relative * scale,
          `${field.name}, row ${row}: ${actualValue} vs ${expectedValue}`,
        );
      } else {
        assert.deepEqual(actualValue, expectedValue, `${field.name}, row ${row}`);
      }
    }
  }
}
