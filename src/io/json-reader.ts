// Reads JSON tables: an array of records (`[{"a": 1}, ...]`, read whole) and JSON Lines
// (one record per line, streamed). Values keep their JSON types: strings stay text even
// when they look like numbers, unless the metadata declares the column continuous.
import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';

import type * as arrow from 'apache-arrow';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { TextTableBuilder } from './text-table.ts';

/** Options of the JSON readers. */
export interface JsonReadOptions {
  metadata?: TableMetadata;
  /** Keep a seeded uniform sample of at most this many rows; null keeps all. */
  maxRows: number | null;
  seed: number;
}

const TABLE_SHAPE = 'a JSON table is an array of records like [{"a": 1, "b": "x"}, ...]';

/**
 * Reads a JSON file holding an array of records; the columns are the keys of all records in
 * order of first appearance, and a key missing from a record is null there.
 * Known shortcoming: the whole file is parsed in memory (JSON.parse), so a JSON file needs
 * several times its size in memory; large tables belong in JSON Lines, CSV or Parquet.
 * @param file path of the file
 * @param options metadata and sampling
 * @returns the table
 * @throws InvalidDataError for invalid JSON, a top level that is not an array, records
 *   that are not objects, and nested values
 */
export async function readJson(file: string, options: JsonReadOptions): Promise<arrow.Table> {
  let text = await fs.readFile(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidDataError(
      `${file}: not valid JSON (${(error as Error).message}); ${TABLE_SHAPE}.`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidDataError(
      `${file}: the JSON is ${describe(parsed)}, not an array of records; ${TABLE_SHAPE} ` +
        '(or JSON Lines, one record per line, in a .jsonl file).',
    );
  }
  const records = parsed as unknown[];
  const names: string[] = [];
  const known = new Set<string>();
  records.forEach((record, index) => {
    if (!isRecord(record)) {
      throw new InvalidDataError(
        `${file}: record ${index + 1} is ${describe(record)}, not an object; ${TABLE_SHAPE}.`,
      );
    }
    for (const key of Object.keys(record)) {
      if (!known.has(key)) {
        known.add(key);
        names.push(key);
      }
    }
  });
  const builder = new TextTableBuilder({ file, unit: 'record', names, ...options });
  records.forEach((record, index) => {
    const values = record as Record<string, unknown>;
    builder.addValueRow(
      names.map((name) => values[name]),
      index + 1,
    );
  });
  return builder.finish();
}

/**
 * Reads a JSON Lines file (one record per line; blank lines are skipped), streaming. The
 * keys of the first record are the columns; a later record may leave keys out (null) but
 * not add new ones.
 * @param file path of the file
 * @param options metadata and sampling
 * @returns the table
 * @throws InvalidDataError for a line that is not a JSON object, a key the first record
 *   lacks, and nested values
 */
export async function readJsonLines(file: string, options: JsonReadOptions): Promise<arrow.Table> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }) });
  let builder: TextTableBuilder | null = null;
  let names: string[] = [];
  let nameSet = new Set<string>();
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber++;
    const line = lineNumber === 1 && rawLine.charCodeAt(0) === 0xfeff ? rawLine.slice(1) : rawLine;
    if (line.trim() === '') continue;
    const record = parseLine(file, line, lineNumber);
    if (builder === null) {
      names = Object.keys(record);
      nameSet = new Set(names);
      builder = new TextTableBuilder({ file, unit: 'line', names, ...options });
    }
    for (const key of Object.keys(record)) {
      if (nameSet.has(key)) continue;
      throw new InvalidDataError(
        `${file}: line ${lineNumber} has key "${key}", which the first record does not have; ` +
          'list every key in the first record (with null where it has no value).',
      );
    }
    builder.addValueRow(
      names.map((name) => record[name]),
      lineNumber,
    );
  }
  if (builder === null) {
    throw new InvalidDataError(`${file}: no records; JSON Lines needs one JSON object per line.`);
  }
  return builder.finish();
}

function parseLine(file: string, line: string, lineNumber: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new InvalidDataError(
      `${file}: line ${lineNumber} is not valid JSON (${(error as Error).message}); ` +
        'JSON Lines holds one JSON object per line.',
      { cause: error },
    );
  }
  if (!isRecord(parsed)) {
    throw new InvalidDataError(
      `${file}: line ${lineNumber} is ${describe(parsed)}, not an object; JSON Lines holds ` +
        'one JSON object per line, like {"a": 1, "b": "x"}.',
    );
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
