// Shared helpers of the io tests: temporary directories, small files, a table that holds
// every awkward value, and the locations of bundled and shared data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';

import {
  boolVector,
  float64Vector,
  int32Vector,
  timestampVector,
  utf8FromStrings,
} from '../../src/io/arrow-build.ts';
import { BOOLEAN_SPELLING_KEY } from '../../src/io/boolean-spelling.ts';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** vega-datasets' data folder, shipped by npm. */
export const vegaData = path.join(repoRoot, 'node_modules/vega-datasets/data');
/** The project's shared real tables; tests using them skip when it is absent. */
export const sharedData = path.resolve(repoRoot, '../shared/data');

/** A fresh temporary directory, removed by `removeDir`. */
export function makeTempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tabsynth-io-'));
}

/** Removes a directory made by makeTempDir. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The rows of a table as plain objects. */
export function rowsOf(table: arrow.Table): Record<string, unknown>[] {
  return table.toArray().map((row) => ({ ...row.toJSON() }));
}

/** "name: type" for every field. */
export function typesOf(table: arrow.Table): string[] {
  return table.schema.fields.map((field) => `${field.name}: ${field.type}`);
}

/** A table from named vectors (one chunk each), with optional field metadata. */
export function tableOf(
  columns: Record<string, arrow.Vector>,
  metadata: Record<string, Map<string, string>> = {},
): arrow.Table {
  const fields = Object.entries(columns).map(
    ([name, vector]) => new arrow.Field(name, vector.type, true, metadata[name]),
  );
  const schema = new arrow.Schema(fields);
  const length = Object.values(columns)[0]!.length;
  const data = arrow.makeData({
    type: new arrow.Struct(fields),
    length,
    nullCount: 0,
    children: Object.values(columns).map((vector) => vector.data[0]!),
  });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, data)]);
}

/**
 * Six rows with a null in every column and the values text formats find hardest: ints at
 * the int32 limits, floats with long decimals, strings with delimiters, quotes, line breaks
 * and leading spaces, and booleans spelled True/False.
 * @param withTimestamp add a TimestampMillisecond column (CSV reads it back as text)
 */
export function awkwardTable(withTimestamp = false): arrow.Table {
  const valid = Uint8Array.from([1, 1, 0, 1, 1, 1]);
  const columns: Record<string, arrow.Vector> = {
    count: int32Vector(Int32Array.from([0, -2147483648, 0, 2147483647, 7, 42]), valid),
    ratio: float64Vector(Float64Array.from([0.1, -2.5e-8, 0, 1e21, 3.141592653589793, 2]), valid),
    label: utf8FromStrings([' Private', 'a,b', null, 'say "hi"', 'two\nlines', 'ünïcödé ✓']),
    flag: boolVector(Uint8Array.from([1, 0, 0, 1, 0, 1]), valid),
  };
  if (withTimestamp) {
    const ms = [0, -86_400_000, 0, 1_551_427_500_123, 1e12, 2e12];
    columns.when = timestampVector(Float64Array.from(ms), valid);
  }
  return tableOf(columns, { flag: new Map([[BOOLEAN_SPELLING_KEY, 'True/False']]) });
}
