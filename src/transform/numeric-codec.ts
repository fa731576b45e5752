// Turns a continuous or datetime column of any supported Arrow type into float64 numbers for
// the numeric model, and numbers back into a column of that same type: numeric types directly,
// datetimes as epoch ms, and text columns by parsing (numbers, or datetimes in their format).
import type * as arrow from 'apache-arrow';

import { formatDatetime, parseDatetime } from '../schema/datetime.ts';
import { InvalidDataError, InvalidMetadataError } from '../util/errors.ts';
import { valueTypeOf, type ArrowTypeJSON } from './arrow-types.ts';
import { forEachText, readNumbers, type NumberColumn } from './arrow-read.ts';
import { buildDictionaryData, buildNumberData, buildTextData } from './arrow-write.ts';

/** How the numbers of a column are written in the table. */
export interface NumericEncoding {
  /** The column's Arrow type at fit time. */
  type: ArrowTypeJSON;
  /** Text columns only: the strftime format of a datetime column (null: a number as text). */
  format: string | null;
  /**
   * Text columns only: what a null is written as. null writes an Arrow null; a string (the
   * first declared missing value met at fit time) writes that text when the column had
   * missing-value texts but no Arrow nulls.
   */
  nullText: string | null;
  /** Text columns only: texts read as null besides the empty text (the metadata's). */
  missingValues: string[];
}

/** What readNumericColumn needs to know about the column. */
export interface NumericSource {
  name: string;
  /** 'continuous' or 'datetime'. */
  type: 'continuous' | 'datetime';
  format?: string;
  missingValues?: string[];
}

/** The outcome of reading a column: numbers, and how to write them back. */
export interface NumericRead {
  column: NumberColumn;
  encoding: NumericEncoding;
  /** How near a whole multiple of 10^-d a value must be to count as d decimals. */
  decimalTolerance: number;
}

/**
 * Reads a continuous or datetime column as numbers (datetimes as epoch ms, UTC).
 * Text is parsed: numbers with Number() after trimming, datetimes with their `format`; empty
 * text and declared missing values are null.
 * @param vector the column
 * @param type the column's Arrow type, as JSON
 * @param source the column's metadata
 * @throws InvalidMetadataError when a text datetime column has no format
 * @throws InvalidDataError for text that is not a number or does not match the format (the
 *   message names the column, row and text)
 */
export function readNumericColumn(
  vector: arrow.Vector,
  type: ArrowTypeJSON,
  source: NumericSource,
): NumericRead {
  const valueType = valueTypeOf(type);
  const isText = valueType.kind === 'utf8' || valueType.kind === 'large-utf8';
  if (!isText) {
    const tolerance = valueType.kind === 'float' && valueType.bits !== 64 ? 1e-6 : 1e-9;
    return {
      column: readNumbers(vector, source.name),
      encoding: { type, format: null, nullText: null, missingValues: [] },
      decimalTolerance: tolerance,
    };
  }

  const format = source.type === 'datetime' ? requireFormat(source) : null;
  // The metadata's missing values (a Set keeps their first-seen order).
  const missing = new Set(source.missingValues ?? []);
  const values = new Float64Array(vector.length);
  let valid: Uint8Array | null = null;
  let nulls = 0;
  let arrowNulls = 0;
  let nullText: string | null = null;
  forEachText(vector, source.name, (row, text) => {
    let value: number | null = null;
    if (text === null) arrowNulls++;
    else if (text === '' || missing.has(text)) nullText ??= text === '' ? null : text;
    else value = parseText(text, format, source.name, row);
    if (value === null) {
      valid ??= new Uint8Array(vector.length).fill(1);
      valid[row] = 0;
      nulls++;
    } else {
      values[row] = value;
    }
  });
  return {
    column: { values, valid, nulls },
    encoding: {
      type,
      format,
      nullText: arrowNulls > 0 ? null : nullText,
      missingValues: [...missing],
    },
    decimalTolerance: 1e-9,
  };
}

/**
 * Writes numbers back as a column of the encoding's type. Text columns get numbers in
 * JavaScript's shortest form (String(40) is '40', String(7.25) is '7.25') or datetimes in
 * their format.
 * @param column values and validity, as NumericModel.inverse returns them
 * @param encoding from readNumericColumn at fit time
 */
export function writeNumericColumn(column: NumberColumn, encoding: NumericEncoding): arrow.Data {
  const { type, format, nullText } = encoding;
  const valueType = valueTypeOf(type);
  if (valueType.kind !== 'utf8' && valueType.kind !== 'large-utf8') {
    if (type.kind === 'dictionary') {
      throw new Error(`writeNumericColumn: dictionary of ${valueType.kind} is not supported`);
    }
    return buildNumberData(type, column.values, column.valid);
  }
  const texts: (string | null)[] = new Array<string | null>(column.values.length);
  for (let row = 0; row < texts.length; row++) {
    if (column.valid !== null && column.valid[row] === 0) {
      texts[row] = nullText;
      continue;
    }
    const value = column.values[row]!;
    texts[row] = format === null ? String(value) : formatDatetime(value, format);
  }
  const data = buildTextData(valueType, texts);
  if (type.kind !== 'dictionary') return data;
  // A dictionary-encoded text column comes back dictionary-encoded, one entry per row.
  const indices = new Float64Array(texts.length);
  for (let row = 0; row < texts.length; row++) indices[row] = row;
  return buildDictionaryData(type, indices, column.valid, data);
}

/**
 * The source to read a column with again (in `transform`), from its fit-time encoding.
 * @param name the column's name
 * @param type 'continuous' or 'datetime'
 */
export function sourceOf(
  name: string,
  type: 'continuous' | 'datetime',
  encoding: NumericEncoding,
): NumericSource {
  const source: NumericSource = { name, type, missingValues: encoding.missingValues };
  if (encoding.format !== null) source.format = encoding.format;
  return source;
}

function requireFormat(source: NumericSource): string {
  if (source.format) return source.format;
  throw new InvalidMetadataError(
    `Column "${source.name}" is a datetime column stored as text, but its metadata has no ` +
      'format. Add one in strftime notation, e.g. "format": "%Y-%m-%d %H:%M:%S".',
  );
}

function parseText(text: string, format: string | null, column: string, row: number): number {
  if (format !== null) {
    const ms = parseDatetime(text, format);
    if (ms !== null) return ms;
    throw new InvalidDataError(
      `Column "${column}", row ${row + 1}: ${JSON.stringify(text)} does not match the ` +
        `datetime format ${JSON.stringify(format)}. Fix the value, or the column's format ` +
        'in the metadata (or list the text in missingValues).',
    );
  }
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (Number.isFinite(value)) return value;
  throw new InvalidDataError(
    `Column "${column}", row ${row + 1}: ${JSON.stringify(text)} is not a number. Fix the ` +
      "value, list it in the column's missingValues, or type the column as categorical.",
  );
}
