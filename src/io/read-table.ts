// The one entry point for reading a table: picks the reader by extension and returns an
// Arrow table whose columns have tabsynth's types (Int32, Float64, Utf8, Bool,
// TimestampMillisecond, DateDay), optionally a seeded uniform sample of its rows.
import type * as arrow from 'apache-arrow';

import type { TableMetadata } from '../schema/metadata.ts';
import { ConfigError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import { readArrow } from './arrow-reader.ts';
import { readCsv } from './csv-reader.ts';
import { checkInputFile, readFormatOf } from './formats.ts';
import { readJson, readJsonLines } from './json-reader.ts';
import { readParquet } from './parquet-reader.ts';

/** Options of readTable. */
export interface ReadOptions {
  /**
   * Declared column types and missing values. Columns it names are read as declared (text
   * in a continuous column is an error); other columns are inferred. Default: none.
   */
  metadata?: TableMetadata;
  /**
   * Keep a seeded uniform sample of at most this many rows (reservoir sampling while
   * streaming, so the whole file is never held), returned in file order. Default: null,
   * every row.
   */
  maxRows?: number | null;
  /** Seed of the sample. Default: 0. */
  seed?: number;
}

const log = getLogger('io');

/**
 * Reads a table file into Arrow. The format comes from the extension: .csv, .tsv, .parquet,
 * .arrow/.feather/.ipc/.arrows (Arrow IPC file or stream, told by the first bytes), .json
 * (an array of records), .jsonl/.ndjson (JSON Lines).
 * @param path the file
 * @param options metadata, maxRows (default null) and seed (default 0)
 * @returns the table; rows in file order; see docs/io.md for the column types
 * @throws InvalidDataError (exit 2) naming the file, and the column, line and value where
 *   there is one: unknown extension, missing or empty file, no rows, ragged rows, text in a
 *   declared-continuous column, NaN or infinities, a column null in every row, damaged files
 * @throws ConfigError when maxRows is not a positive integer
 */
export async function readTable(path: string, options: ReadOptions = {}): Promise<arrow.Table> {
  const maxRows = options.maxRows ?? null;
  if (maxRows !== null && !(Number.isInteger(maxRows) && maxRows > 0)) {
    throw new ConfigError(`data.maxRows must be a positive integer or null, got ${maxRows}.`);
  }
  const format = readFormatOf(path);
  const bytes = await checkInputFile(path);
  const started = performance.now();
  const common = { metadata: options.metadata, maxRows, seed: options.seed ?? 0 };

  let table: arrow.Table;
  switch (format) {
    case 'csv':
    case 'tsv':
      table = await readCsv(path, { ...common, delimiter: format === 'csv' ? ',' : '\t' });
      break;
    case 'json':
      table = await readJson(path, common);
      break;
    case 'jsonl':
      table = await readJsonLines(path, common);
      break;
    case 'parquet':
      table = await readParquet(path, common);
      break;
    case 'arrow':
      table = await readArrow(path, common);
      break;
  }
  log.info('table read', {
    file: path,
    format,
    bytes,
    rows: table.numRows,
    columns: table.numCols,
    maxRows,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  });
  return table;
}
