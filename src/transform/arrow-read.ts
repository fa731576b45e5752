// Reads Arrow columns into flat typed arrays, chunk by chunk from the raw buffers, so that the
// transformer never builds one object per row: numbers as float64, text and categories as codes.
import * as arrow from 'apache-arrow';

import { InvalidDataError } from '../util/errors.ts';
import { ByteKeyIndex } from './byte-key-index.ts';
import { MS_PER_TIMESTAMP_UNIT, typeToJSON, type TimestampUnit } from './arrow-types.ts';

/** A numeric column: one float64 per row, plus which rows hold a value. */
export interface NumberColumn {
  values: Float64Array;
  /** 1 where the row holds a value; null when every row does. */
  valid: Uint8Array | null;
  /** Rows without a value (Arrow nulls, and NaN in float columns). */
  nulls: number;
}

/** A value a discrete column can hold, as JavaScript sees it. */
export type CategoryValue = string | number | boolean | bigint | null;

/** A discrete column as codes into its distinct values. */
export interface CodedColumn {
  /** One code per row: index into `values`. */
  codes: Int32Array;
  /** Distinct values in order of first appearance; null (missing) is a value of its own. */
  values: CategoryValue[];
}

const DAY_MS = 86_400_000;
const decoder = new TextDecoder();

/**
 * Reads a column of integers, floats, dates or timestamps as float64 numbers. Dates and
 * timestamps become milliseconds since 1970-01-01 UTC; 64-bit integers lose precision beyond
 * 2^53 (9e15). NaN counts as missing.
 * @param vector the column
 * @param column its name, for error messages
 * @throws InvalidDataError when the column's type is not numeric, or a value is infinite
 */
export function readNumbers(vector: arrow.Vector, column: string): NumberColumn {
  const values = new Float64Array(vector.length);
  let valid: Uint8Array | null = null;
  let nulls = 0;
  let position = 0;
  for (const data of vector.data) {
    const type = data.type as arrow.DataType;
    const isValid = validityOf(data);
    copyNumbers(data, type, column, values, position);
    for (let row = 0; row < data.length; row++) {
      const index = position + row;
      const value = values[index]!;
      if (isValid(row) && value - value === 0) continue;
      if (isValid(row) && !Number.isNaN(value)) throw infinityError(column, index, value);
      if (valid === null) valid = new Uint8Array(vector.length).fill(1);
      valid[index] = 0;
      values[index] = 0;
      nulls++;
    }
    position += data.length;
  }
  return { values, valid, nulls };
}

/**
 * Calls `visit` with the text of every row of a UTF-8 column (plain or dictionary-encoded),
 * or null for a missing row.
 * @throws InvalidDataError when the column does not hold text
 */
export function forEachText(
  vector: arrow.Vector,
  column: string,
  visit: (row: number, text: string | null) => void,
): void {
  let position = 0;
  for (const data of vector.data) {
    const type = data.type as arrow.DataType;
    const isValid = validityOf(data);
    if (arrow.DataType.isDictionary(type)) {
      const dictionary = dictionaryTexts(data, column);
      const indices = data.values as ArrayLike<number | bigint>;
      for (let row = 0; row < data.length; row++) {
        visit(position + row, isValid(row) ? dictionary[Number(indices[row])]! : null);
      }
    } else {
      const reader = textReader(data, column);
      for (let row = 0; row < data.length; row++) {
        visit(position + row, isValid(row) ? reader(row, 'utf8') : null);
      }
    }
    position += data.length;
  }
}

/**
 * Encodes a discrete column (text, dictionary, boolean, integer or float) as codes into its
 * distinct values. 64-bit integers stay bigint; NaN counts as missing.
 * @throws InvalidDataError when the column's type cannot be discrete (dates, timestamps), or
 *   a value is infinite
 */
export function readCategories(vector: arrow.Vector, column: string): CodedColumn {
  const codes = new Int32Array(vector.length);
  const values: CategoryValue[] = [];
  const known = new Map<unknown, number>();
  const codeOf = (key: unknown, value: CategoryValue): number => {
    let code = known.get(key);
    if (code === undefined) {
      code = values.length;
      known.set(key, code);
      values.push(value);
    }
    return code;
  };

  const nullCode = (): number => codeOf(null, null);
  const byteIndex = new ByteKeyIndex();
  const byteCodes: number[] = [];
  let position = 0;
  for (const data of vector.data) {
    const type = data.type as arrow.DataType;
    const isValid = validityOf(data);
    if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) {
      // Distinct byte strings are found by hashing; each is decoded to text once.
      const rowCodes = codes.subarray(position, position + data.length);
      codeTextRows(data, byteIndex, rowCodes);
      for (let row = 0; row < rowCodes.length; row++) {
        const byteCode = rowCodes[row]!;
        let code = byteCode < 0 ? nullCode() : byteCodes[byteCode];
        if (code === undefined) {
          const text = decoder.decode(byteIndex.bytesOf(byteCode));
          code = codeOf(`s${text}`, text);
          byteCodes[byteCode] = code;
        }
        rowCodes[row] = code;
      }
    } else if (arrow.DataType.isDictionary(type)) {
      const dictionary = arrow.makeVector(data.dictionary!.data);
      const dictionaryCodes = readCategories(dictionary, column);
      const mapped = dictionaryCodes.values.map((value) => codeOf(keyOf(value), value));
      const indices = data.values as ArrayLike<number | bigint>;
      for (let row = 0; row < data.length; row++) {
        codes[position + row] = isValid(row)
          ? mapped[dictionaryCodes.codes[Number(indices[row])]!]!
          : codeOf(null, null);
      }
    } else {
      const rowValues = scalarValues(data, type, column);
      for (let row = 0; row < data.length; row++) {
        let value = isValid(row) ? rowValues(row) : null;
        if (typeof value === 'number' && Number.isNaN(value)) value = null;
        if (typeof value === 'number' && value - value !== 0) {
          throw infinityError(column, position + row, value);
        }
        codes[position + row] = codeOf(keyOf(value), value);
      }
    }
    position += data.length;
  }
  return { codes, values };
}

/**
 * A test of whether a row of `data` holds a value (its validity bit is set), with the
 * chunk's bitmap looked up once rather than per row.
 */
export function validityOf(data: arrow.Data): (row: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (row) => ((bitmap[(offset + row) >> 3]! >> ((offset + row) & 7)) & 1) === 1;
}

function infinityError(column: string, row: number, value: number): InvalidDataError {
  return new InvalidDataError(
    `Column "${column}", row ${row + 1}: ${value} is not a finite number. Replace it with a ` +
      'finite value or null it in the file.',
  );
}

/** Writes the ByteKeyIndex code of every row of a UTF-8 chunk into `out`, -1 for nulls. */
function codeTextRows(data: arrow.Data, byteIndex: ByteKeyIndex, out: Int32Array): void {
  const bytes = data.values as Uint8Array;
  const raw = data.valueOffsets as Int32Array | BigInt64Array;
  const offsets = raw instanceof BigInt64Array ? Float64Array.from(raw, Number) : raw;
  for (let row = 0; row < out.length; row++) {
    out[row] = byteIndex.codeOf(bytes, offsets[row]!, offsets[row + 1]!);
  }
  if (data.nullCount === 0) return;
  const isValid = validityOf(data);
  for (let row = 0; row < out.length; row++) if (!isValid(row)) out[row] = -1;
}

/** A key that tells category values apart in a Map (strings and numbers never collide). */
function keyOf(value: CategoryValue): unknown {
  return typeof value === 'string' ? `s${value}` : value;
}

function copyNumbers(
  data: arrow.Data,
  type: arrow.DataType,
  column: string,
  out: Float64Array,
  position: number,
): void {
  const length = data.length;
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    if (arrow.DataType.isFloat(type) && type.precision === arrow.Precision.HALF) {
      const halves = data.values as Uint16Array;
      for (let row = 0; row < length; row++) {
        out[position + row] = arrow.util.uint16ToFloat64(halves[row]!);
      }
    } else if (type.ArrayType === BigInt64Array || type.ArrayType === BigUint64Array) {
      const big = data.values as BigInt64Array | BigUint64Array;
      for (let row = 0; row < length; row++) out[position + row] = Number(big[row]!);
    } else {
      out.set((data.values as Float64Array).subarray(0, length), position);
    }
    return;
  }
  if (arrow.DataType.isDate(type)) {
    if (type.unit === arrow.DateUnit.DAY) {
      const days = data.values as Int32Array;
      for (let row = 0; row < length; row++) out[position + row] = days[row]! * DAY_MS;
    } else {
      const ms = data.values as BigInt64Array;
      for (let row = 0; row < length; row++) out[position + row] = Number(ms[row]!);
    }
    return;
  }
  if (arrow.DataType.isTimestamp(type)) {
    const json = typeToJSON(type, column) as { unit: TimestampUnit };
    const scale = MS_PER_TIMESTAMP_UNIT[json.unit];
    const raw = data.values as BigInt64Array;
    for (let row = 0; row < length; row++) out[position + row] = Number(raw[row]!) * scale;
    return;
  }
  throw new InvalidDataError(
    `Column "${column}" holds ${String(type)} values, not numbers, dates or timestamps. ` +
      'Check the column type in the metadata, or convert the column in the file.',
  );
}

type TextReader = (row: number, encoding: 'utf8' | 'latin1') => string;

function textReader(data: arrow.Data, column: string): TextReader {
  const type = data.type as arrow.DataType;
  if (!arrow.DataType.isUtf8(type) && !arrow.DataType.isLargeUtf8(type)) {
    throw new InvalidDataError(
      `Column "${column}" holds ${String(type)} values, not text. ` +
        'Check the column type in the metadata.',
    );
  }
  const bytes = data.values as Uint8Array;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) {
    return (row, encoding) =>
      buffer.toString(encoding, Number(offsets[row]!), Number(offsets[row + 1]!));
  }
  return (row, encoding) => buffer.toString(encoding, offsets[row]!, offsets[row + 1]!);
}

function dictionaryTexts(data: arrow.Data, column: string): string[] {
  const dictionary = data.dictionary!;
  const texts: string[] = [];
  forEachText(dictionary, column, (_, text) => texts.push(text ?? ''));
  return texts;
}

function scalarValues(
  data: arrow.Data,
  type: arrow.DataType,
  column: string,
): (row: number) => CategoryValue {
  if (arrow.DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    return (row) => {
      const bit = data.offset + row;
      return ((bits[bit >> 3]! >> (bit & 7)) & 1) === 1;
    };
  }
  if (arrow.DataType.isInt(type) && type.bitWidth === 64) {
    const big = data.values as BigInt64Array | BigUint64Array;
    return (row) => big[row]!;
  }
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    const numbers = new Float64Array(data.length);
    copyNumbers(data, type, column, numbers, 0);
    // -0 and 0 are one category.
    return (row) => numbers[row]! + 0;
  }
  throw new InvalidDataError(
    `Column "${column}" holds ${String(type)} values, which tabsynth cannot learn as ` +
      'categories. Use text, integers, floats or booleans, or type the column as datetime.',
  );
}
