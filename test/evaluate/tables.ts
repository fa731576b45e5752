// Test helpers of the evaluation tests: where the data files are, and tables changed in
// seeded ways (columns shuffled or resampled independently).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';

import { Rng } from '../../src/util/rng.ts';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real tables, which may be absent (tests then skip). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

/** vega-datasets' files, shipped with the npm package. */
export const VEGA_DATA = path.join(REPO_ROOT, 'node_modules/vega-datasets/data');

/**
 * A copy of the table with every column permuted on its own (seeded): each column keeps its
 * distribution exactly, while the relations between columns are destroyed.
 */
export function shuffleColumns(table: arrow.Table, seed: number): arrow.Table {
  const rng = new Rng(seed);
  const columns: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const values = Array.from({ length: table.numRows }, (_, row) => vector.get(row) as unknown);
    columns[field.name] = rng.shuffle(values);
  }
  return rebuild(table, columns);
}

/** A seeded sample of `rows` rows drawn with replacement, column by column independently. */
export function resampleColumns(table: arrow.Table, rows: number, seed: number): arrow.Table {
  const rng = new Rng(seed);
  const columns: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    columns[field.name] = Array.from({ length: rows }, () => vector.get(rng.int(table.numRows)));
  }
  return rebuild(table, columns);
}

// A table with the same column types from plain arrays of values.
function rebuild(table: arrow.Table, columns: Record<string, unknown[]>): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  for (const field of table.schema.fields) {
    vectors[field.name] = arrow.vectorFromArray(columns[field.name]!, field.type);
  }
  return new arrow.Table(vectors);
}
