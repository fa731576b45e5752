// Builds Arrow column data straight from typed arrays (no per-row builders), so decoding
// millions of rows stays fast. makeData's props are typed by a static data type; ours is
// chosen at run time, so they are cast (`as never`) in this adapter and nowhere else.
import * as arrow from 'apache-arrow';

import { MS_PER_TIMESTAMP_UNIT, typeFromJSON, type ArrowTypeJSON } from './arrow-types.ts';

const DAY_MS = 86_400_000;
const encoder = new TextEncoder();

/**
 * Builds a column of a numeric, date or timestamp type from float64 values. Integers are
 * rounded and clamped to the type's range; dates and timestamps take milliseconds since
 * 1970-01-01 UTC.
 * @param type an int, float, date or timestamp type
 * @param values one value per row (ignored where `valid` is 0)
 * @param valid 1 where the row holds a value; null when all rows do
 */
export function buildNumberData(
  type: ArrowTypeJSON,
  values: Float64Array,
  valid: Uint8Array | null,
): arrow.Data {
  const length = values.length;
  const arrowType = typeFromJSON(type);
  let data: ArrayBufferView;
  switch (type.kind) {
    case 'float':
      data =
        type.bits === 64
          ? Float64Array.from(values)
          : type.bits === 32
            ? Float32Array.from(values)
            : halfFloats(values);
      break;
    case 'int':
      data = integerArray(type.bitWidth, type.signed, values);
      break;
    case 'date':
      data = type.unit === 'day' ? dayNumbers(values) : bigIntArray(values, 1, true);
      break;
    case 'timestamp':
      data = bigIntArray(values, 1 / MS_PER_TIMESTAMP_UNIT[type.unit], true);
      break;
    default:
      throw new Error(`buildNumberData: ${type.kind} is not a numeric type`);
  }
  const { nullBitmap, nullCount } = packValidity(valid, length);
  return arrow.makeData({ type: arrowType, length, nullCount, nullBitmap, data } as never);
}

/**
 * Builds a UTF-8 column whose rows each repeat one of a few texts (decoded categories).
 * @param type utf8 or large-utf8
 * @param texts the distinct texts; null marks the missing value
 * @param codes one index into `texts` per row
 */
export function buildCodedTextData(
  type: ArrowTypeJSON,
  texts: (string | null)[],
  codes: Int32Array,
): arrow.Data {
  const pieces = texts.map((text) => encoder.encode(text ?? ''));
  const lengths = Int32Array.from(pieces, (piece) => piece.length);
  let total = 0;
  for (let row = 0; row < codes.length; row++) total += lengths[codes[row]!]!;
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(codes.length + 1);
  let position = 0;
  for (let row = 0; row < codes.length; row++) {
    const piece = pieces[codes[row]!]!;
    bytes.set(piece, position);
    position += piece.length;
    offsets[row + 1] = position;
  }
  const valid = validityFromCodes(texts, codes);
  return makeTextData(type, bytes, offsets, valid);
}

/**
 * Builds a UTF-8 column from one text (or null) per row.
 * @param type utf8 or large-utf8
 */
export function buildTextData(type: ArrowTypeJSON, texts: (string | null)[]): arrow.Data {
  const offsets = new Int32Array(texts.length + 1);
  let capacity = 64;
  for (const text of texts) capacity += text === null ? 0 : text.length * 3;
  const bytes = new Uint8Array(capacity);
  const valid = new Uint8Array(texts.length);
  let position = 0;
  for (let row = 0; row < texts.length; row++) {
    const text = texts[row];
    if (text !== null && text !== undefined) {
      position += encoder.encodeInto(text, bytes.subarray(position)).written;
      valid[row] = 1;
    }
    offsets[row + 1] = position;
  }
  return makeTextData(type, bytes.subarray(0, position), offsets, valid);
}

/** Builds a boolean column from one 0/1 per row; `valid` as in buildNumberData. */
export function buildBoolData(bits: Uint8Array, valid: Uint8Array | null): arrow.Data {
  const packed = new Uint8Array((bits.length + 7) >> 3);
  for (let row = 0; row < bits.length; row++) {
    if (bits[row]) packed[row >> 3]! |= 1 << (row & 7);
  }
  const { nullBitmap, nullCount } = packValidity(valid, bits.length);
  return arrow.makeData({
    type: new arrow.Bool(),
    length: bits.length,
    nullCount,
    nullBitmap,
    data: packed,
  });
}

/**
 * Builds a column of 64-bit integers from bigint values.
 * @param type an int type of bit width 64 (signed for BigInt64Array values)
 * @param values one value per row (ignored where `valid` is 0)
 */
export function buildBigIntData(
  type: ArrowTypeJSON,
  values: BigInt64Array | BigUint64Array,
  valid: Uint8Array | null,
): arrow.Data {
  const data = values;
  const { nullBitmap, nullCount } = packValidity(valid, values.length);
  return arrow.makeData({
    type: typeFromJSON(type),
    length: values.length,
    nullCount,
    nullBitmap,
    data,
  } as never);
}

/**
 * Builds a dictionary-encoded column.
 * @param type a dictionary type
 * @param indices one index into `dictionary` per row (ignored where `valid` is 0)
 * @param dictionary the dictionary's values, of the type's value type
 */
export function buildDictionaryData(
  type: ArrowTypeJSON,
  indices: Float64Array,
  valid: Uint8Array | null,
  dictionary: arrow.Data,
): arrow.Data {
  if (type.kind !== 'dictionary') throw new Error('buildDictionaryData: not a dictionary type');
  const { bitWidth, signed } = type.index;
  const { nullBitmap, nullCount } = packValidity(valid, indices.length);
  return arrow.makeData({
    type: typeFromJSON(type),
    length: indices.length,
    nullCount,
    nullBitmap,
    data: integerArray(bitWidth, signed, indices),
    dictionary: arrow.makeVector(dictionary),
  } as never);
}

/** Packs 0/1 validity bytes into an Arrow validity bitmap. */
export function packValidity(
  valid: Uint8Array | null,
  length: number,
): { nullBitmap: Uint8Array; nullCount: number } {
  if (valid === null) return { nullBitmap: new Uint8Array(0), nullCount: 0 };
  const nullBitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let row = 0; row < length; row++) {
    if (valid[row]) nullBitmap[row >> 3]! |= 1 << (row & 7);
    else nullCount++;
  }
  return nullCount === 0 ? { nullBitmap: new Uint8Array(0), nullCount } : { nullBitmap, nullCount };
}

function makeTextData(
  type: ArrowTypeJSON,
  bytes: Uint8Array,
  offsets: Int32Array,
  valid: Uint8Array | null,
): arrow.Data {
  const { nullBitmap, nullCount } = packValidity(valid, offsets.length - 1);
  const large = type.kind === 'large-utf8';
  return arrow.makeData({
    type: large ? new arrow.LargeUtf8() : new arrow.Utf8(),
    length: offsets.length - 1,
    nullCount,
    nullBitmap,
    valueOffsets: large ? bigIntArray(Float64Array.from(offsets), 1, true) : offsets,
    data: bytes,
  } as never);
}

function validityFromCodes(texts: (string | null)[], codes: Int32Array): Uint8Array | null {
  const nullCode = texts.indexOf(null);
  if (nullCode < 0) return null;
  const valid = new Uint8Array(codes.length);
  for (let row = 0; row < codes.length; row++) valid[row] = codes[row] === nullCode ? 0 : 1;
  return valid;
}

function integerArray(bitWidth: 8 | 16 | 32 | 64, signed: boolean, values: Float64Array) {
  if (bitWidth === 64) return bigIntArray(values, 1, signed);
  const limit = 2 ** (signed ? bitWidth - 1 : bitWidth);
  const low = signed ? -limit : 0;
  const high = limit - 1;
  const out =
    bitWidth === 8
      ? signed
        ? new Int8Array(values.length)
        : new Uint8Array(values.length)
      : bitWidth === 16
        ? signed
          ? new Int16Array(values.length)
          : new Uint16Array(values.length)
        : signed
          ? new Int32Array(values.length)
          : new Uint32Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const value = Math.round(values[row]!);
    // NaN fails both comparisons and is written as 0 by the typed array.
    out[row] = value < low ? low : value > high ? high : value;
  }
  return out;
}

function halfFloats(values: Float64Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let row = 0; row < values.length; row++) out[row] = arrow.util.float64ToUint16(values[row]!);
  return out;
}

function dayNumbers(values: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  for (let row = 0; row < values.length; row++) out[row] = Math.round(values[row]! / DAY_MS);
  return out;
}

/** 64-bit integers from float64 values times `scale`, rounded; NaN and infinities become 0. */
function bigIntArray(values: Float64Array, scale: number, signed: boolean) {
  const out = signed ? new BigInt64Array(values.length) : new BigUint64Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const scaled = Math.round(values[row]! * scale);
    const safe = Number.isFinite(scaled) ? (signed ? scaled : Math.max(0, scaled)) : 0;
    out[row] = BigInt(safe);
  }
  return out;
}
