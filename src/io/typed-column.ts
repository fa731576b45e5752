// Normalizes the columns of typed files (Parquet, Arrow IPC) to tabsynth's column types:
// Int32, Float64, Utf8, Bool, TimestampMillisecond and DateDay. Each batch is converted and
// checked as it arrives; what needs the whole file (may Int64 become Int32?) is decided last.
import * as arrow from 'apache-arrow';

import type { ColumnMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import {
  boolVector,
  dateDayVector,
  float64Vector,
  int32Vector,
  packValidity,
  timestampVector,
  utf8FromCodes,
  utf8FromStrings,
} from './arrow-build.ts';
import { BOOLEAN_SPELLING_KEY } from './boolean-spelling.ts';
import { allNullError } from './text-table.ts';
import { validityOf } from './take.ts';
import { parseBooleanText, parseNumberText, TypeTracker } from './text-types.ts';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MS_PER_DAY = 86_400_000;
const NAN_SPELLING = /^[+-]?nan$/i;
const INFINITY_SPELLING = /^[+-]?inf(inity)?$/i;

/** One column of a typed file, from its first batch to the finished table. */
export class TypedColumn {
  /** Non-null values in the whole file. */
  nonNull = 0;
  /** Float64 chunks that become Int32 at the end when every value was an int32. */
  private narrowable = false;
  private allInt32 = true;
  /** Set when an integer beyond 2^53 forced text; Float64 chunks then become text too. */
  private toText = false;
  private readonly tracker: TypeTracker | null;
  private readonly missing: ReadonlySet<string>;
  private readonly missingNumbers: ReadonlySet<number>;

  /**
   * @param field the column's field in the file
   * @param declared the metadata's entry for the column, if any
   * @param file the file, for error messages
   */
  constructor(
    readonly field: arrow.Field,
    private readonly declared: ColumnMetadata | undefined,
    private readonly file: string,
  ) {
    this.missing = new Set(declared?.missingValues ?? []);
    this.missingNumbers = new Set(
      [...this.missing].map((text) => Number(text.trim())).filter(Number.isFinite),
    );
    const type = declared?.type;
    const textual = isText(field.type);
    this.tracker =
      textual && (type === 'continuous' || type === 'boolean')
        ? new TypeTracker({ file, column: field.name, unit: 'row', declared: type })
        : null;
    checkSupported(field, file);
  }

  /**
   * Converts one batch's column to its canonical type, checking every value.
   * @param vector the column in the batch
   * @param firstRow 1-based row number of the batch's first row in the file
   * @returns the converted column
   * @throws InvalidDataError for NaN and infinities, and text a declared type rejects
   */
  normalize(vector: arrow.Vector, firstRow: number): arrow.Vector {
    const converted = this.convert(vector, firstRow);
    this.nonNull += converted.length - converted.nullCount;
    return converted;
  }

  /**
   * The final form of a converted chunk, once the whole file was seen.
   * @param vector a chunk returned by normalize (possibly with rows taken out)
   */
  finish(vector: arrow.Vector): arrow.Vector {
    if (!this.narrowable || !arrow.DataType.isFloat(vector.type)) return vector;
    const values = valuesOf(vector.data[0]!) as Float64Array;
    const valid = validityOf(vector.data[0]!);
    if (this.toText) {
      const strings = Array.from(values, (value, i) => (valid && !valid[i] ? null : String(value)));
      return utf8FromStrings(strings);
    }
    // Declared-continuous text follows the text rules ("1.0" is a float); numbers their values.
    const int32 = this.tracker ? this.tracker.decide().kind === 'int32' : this.allInt32;
    if (int32) return int32Vector(Int32Array.from(values), valid);
    return vector;
  }

  /** The column's field in the finished table. */
  finalField(sample: arrow.Vector): arrow.Field {
    const metadata = new Map(this.field.metadata);
    if (this.tracker && arrow.DataType.isBool(sample.type)) {
      metadata.set(BOOLEAN_SPELLING_KEY, this.tracker.decide().spelling ?? 'true/false');
    }
    return new arrow.Field(this.field.name, sample.type, true, metadata);
  }

  private convert(vector: arrow.Vector, firstRow: number): arrow.Vector {
    const type = vector.type as arrow.DataType;
    const data = vector.data[0]!;
    switch (type.typeId) {
      case arrow.Type.Int:
        return this.convertInt(vector, type as arrow.Int);
      case arrow.Type.Float:
        return this.convertFloat(vector, firstRow);
      case arrow.Type.Utf8:
      case arrow.Type.LargeUtf8:
      case arrow.Type.Dictionary:
        return this.convertText(vector, firstRow);
      case arrow.Type.Bool:
        return vector;
      case arrow.Type.Timestamp: {
        const { unit, timezone } = type as arrow.Timestamp;
        if (unit === arrow.TimeUnit.MILLISECOND) return vector;
        const ticks = int64Numbers(valuesOf(data) as BigInt64Array);
        const divisor = [1 / 1000, 1, 1000, 1_000_000][unit]!;
        for (let i = 0; i < ticks.length; i++) ticks[i] = ticks[i]! / divisor;
        return timestampVector(ticks, validityOf(data), timezone ?? null);
      }
      case arrow.Type.Date: {
        if ((type as arrow.Date_).unit === arrow.DateUnit.DAY) return vector;
        const ms = int64Numbers(valuesOf(data) as BigInt64Array);
        const days = Int32Array.from(ms, (value) => Math.floor(value / MS_PER_DAY));
        return dateDayVector(days, validityOf(data));
      }
      default:
        // checkSupported has rejected every other type.
        throw new Error(`TypedColumn: unexpected type ${String(type)}`);
    }
  }

  private convertInt(vector: arrow.Vector, type: arrow.Int): arrow.Vector {
    const data = vector.data[0]!;
    const valid = validityOf(data);
    const raw = valuesOf(data);
    const wide = type.bitWidth === 64;
    const values = wide
      ? int64Numbers(raw as BigInt64Array, !type.isSigned)
      : Float64Array.from(raw as ArrayLike<number>);
    let hasMissing = false;
    for (let i = 0; i < values.length; i++) {
      if (valid && !valid[i]) continue;
      // Integers a double cannot hold (64-bit ids) are kept exactly, as text.
      if (wide && !Number.isSafeInteger(values[i])) this.toText = true;
      if (this.missingNumbers.size > 0 && this.missingNumbers.has(values[i]!)) hasMissing = true;
    }
    const small = type.bitWidth < 32 || (type.bitWidth === 32 && type.isSigned);
    if (small && !hasMissing) return int32Vector(Int32Array.from(values), valid);
    const mask = this.maskMissingNumbers(values, valid);
    if (this.toText) {
      this.narrowable = true;
      const strings: (string | null)[] = [];
      for (let i = 0; i < raw.length; i++) strings.push(mask && !mask[i] ? null : String(raw[i]));
      return utf8FromStrings(strings);
    }
    this.narrowable = true;
    this.trackInt32(values, mask);
    return float64Vector(values, mask);
  }

  private convertFloat(vector: arrow.Vector, firstRow: number): arrow.Vector {
    const valid = validityOf(vector.data[0]!);
    // Float16 arrays hold raw half-precision bits; get() decodes them.
    const precision = (vector.type as arrow.Float).precision;
    const values =
      precision === arrow.Precision.DOUBLE
        ? Float64Array.from(valuesOf(vector.data[0]!) as Float64Array)
        : Float64Array.from({ length: vector.length }, (_, i) => vector.get(i) ?? 0);
    if (precision !== arrow.Precision.DOUBLE) shortenSingles(values);
    const mask = valid ? valid.slice() : new Uint8Array(values.length).fill(1);
    let masked = valid !== null;
    for (let i = 0; i < values.length; i++) {
      if (!mask[i]) continue;
      const value = values[i]!;
      if (Number.isFinite(value)) {
        if (this.missingNumbers.has(value)) {
          mask[i] = 0;
          masked = true;
        }
        continue;
      }
      if (this.isDeclaredMissing(value)) {
        mask[i] = 0;
        masked = true;
        continue;
      }
      throw this.specialError(value, firstRow + i);
    }
    return float64Vector(values, masked ? mask : null);
  }

  private convertText(vector: arrow.Vector, firstRow: number): arrow.Vector {
    const tracker = this.tracker;
    if (tracker === null) {
      const data = vector.data[0]!;
      if (data.dictionary) return this.decodeDictionary(vector, data.dictionary);
      const hasMissing = this.missing.size > 0;
      if (arrow.DataType.isUtf8(vector.type) && !hasMissing) return vector;
      if (arrow.DataType.isLargeUtf8(vector.type) && !hasMissing) return narrowLargeUtf8(data);
      return utf8FromStrings(
        Array.from({ length: vector.length }, (_, i) => {
          const value = vector.get(i) as string | null;
          return value === null || this.missing.has(value) ? null : value;
        }),
      );
    }
    // Declared continuous or boolean: the text is parsed, each distinct value observed once.
    const seen = new Set<string>();
    const numbers = new Float64Array(vector.length);
    const mask = new Uint8Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const value = vector.get(i) as string | null;
      if (value === null || value === '' || this.missing.has(value)) continue;
      if (!seen.has(value)) {
        seen.add(value);
        tracker.observe(value, firstRow + i, 'text');
      }
      mask[i] = 1;
      numbers[i] = this.declared!.type === 'boolean' ? Number(parseBooleanText(value)) : 0;
      if (this.declared!.type === 'continuous') numbers[i] = parseNumberText(value) as number;
    }
    if (this.declared!.type === 'boolean') return boolVector(Uint8Array.from(numbers), mask);
    tracker.decide(); // reports NaN and infinities now, with their row
    this.narrowable = true;
    return float64Vector(numbers, mask);
  }

  private decodeDictionary(vector: arrow.Vector, dictionary: arrow.Vector): arrow.Vector {
    if (!isText(dictionary.type)) {
      throw new InvalidDataError(
        `${this.file}: column "${this.field.name}" is dictionary-encoded with values of type ` +
          `${String(dictionary.type)}; tabsynth reads dictionaries of strings only. Store the ` +
          'column without dictionary encoding.',
      );
    }
    const words = Array.from({ length: dictionary.length }, (_, i) => dictionary.get(i) as string);
    const wordCodes = words.map((word, index) => (this.missing.has(word) ? -1 : index));
    const indices = vector.data[0]!.values as ArrayLike<number | bigint>;
    const valid = validityOf(vector.data[0]!);
    const codes = new Int32Array(vector.length);
    for (let i = 0; i < codes.length; i++) {
      codes[i] = valid && !valid[i] ? -1 : wordCodes[Number(indices[i]!)]!;
    }
    return utf8FromCodes(codes, words);
  }

  private maskMissingNumbers(values: Float64Array, valid: Uint8Array | null): Uint8Array | null {
    if (this.missingNumbers.size === 0) return valid;
    const mask = valid ? valid.slice() : new Uint8Array(values.length).fill(1);
    for (let i = 0; i < values.length; i++) if (this.missingNumbers.has(values[i]!)) mask[i] = 0;
    return mask;
  }

  private trackInt32(values: Float64Array, valid: Uint8Array | null): void {
    if (!this.allInt32) return;
    for (let i = 0; i < values.length; i++) {
      if (valid && !valid[i]) continue;
      const value = values[i]!;
      if (
        !Number.isInteger(value) ||
        value < INT32_MIN ||
        value > INT32_MAX ||
        Object.is(value, -0)
      ) {
        this.allInt32 = false;
        return;
      }
    }
  }

  private isDeclaredMissing(value: number): boolean {
    const spelling = Number.isNaN(value) ? NAN_SPELLING : INFINITY_SPELLING;
    return [...this.missing].some((text) => spelling.test(text.trim()));
  }

  private specialError(value: number, row: number): InvalidDataError {
    const shown = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return new InvalidDataError(
      `${this.file}: column "${this.field.name}", row ${row}: ${shown} is in a numeric column; ` +
        'tabsynth cannot learn NaN or infinite values. Declare the spelling missing ' +
        `("missingValues": ["${shown}"]) to read it as null, or replace it with a finite number.`,
    );
  }
}

/**
 * Replaces each float32 value widened to a double by the shortest decimal that reads back as
 * the same float32 (0.30000001192092896 becomes 0.3), so that written values look as the
 * file's author wrote them.
 */
function shortenSingles(values: Float64Array): void {
  const cache = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let short = cache.get(value);
    if (short === undefined) {
      short = value;
      for (let digits = 1; digits <= 9 && Number.isFinite(value); digits++) {
        const candidate = Number(value.toPrecision(digits));
        if (Math.fround(candidate) === value) {
          short = candidate;
          break;
        }
      }
      cache.set(value, short);
    }
    values[i] = short;
  }
}

type FixedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The value buffer of a fixed-width chunk, cut to its length (IPC buffers are padded). */
function valuesOf(data: arrow.Data): FixedArray {
  return (data.values as FixedArray).subarray(0, data.length);
}

/**
 * The values of a 64-bit integer buffer as doubles, read as two 32-bit words so that no
 * BigInt is made (BigInt conversion costs ten times more). Exact up to 2^53.
 */
function int64Numbers(values: BigInt64Array | BigUint64Array, unsigned = false): Float64Array {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const low = words[2 * i]! >>> 0;
    const high = words[2 * i + 1]!;
    out[i] = (unsigned ? high >>> 0 : high) * 4294967296 + low;
  }
  return out;
}

/** A LargeUtf8 chunk as Utf8, sharing its bytes (tables over 2 GiB of text are refused). */
function narrowLargeUtf8(data: arrow.Data): arrow.Vector {
  const wideOffsets = data.valueOffsets as unknown as BigInt64Array;
  const offsets = int64Numbers(wideOffsets.subarray(0, data.length + 1));
  const bytes = data.values as Uint8Array;
  if (offsets[offsets.length - 1]! > INT32_MAX) {
    throw new InvalidDataError('a text column holds more than 2 GiB in one batch');
  }
  const { bitmap, nullCount } = packValidity(validityOf(data), data.length);
  return arrow.makeVector(
    arrow.makeData({
      type: new arrow.Utf8(),
      length: data.length,
      nullCount,
      nullBitmap: bitmap,
      valueOffsets: Int32Array.from(offsets),
      data: bytes,
    }),
  );
}

/** True for Utf8 and LargeUtf8, and dictionaries of them. */
function isText(type: arrow.DataType): boolean {
  if (arrow.DataType.isDictionary(type)) return isText(type.dictionary);
  return arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type);
}

function checkSupported(field: arrow.Field, file: string): void {
  const type = field.type as arrow.DataType;
  if (arrow.DataType.isNull(type)) throw allNullError(file, field.name);
  const supported =
    arrow.DataType.isInt(type) ||
    arrow.DataType.isFloat(type) ||
    arrow.DataType.isBool(type) ||
    arrow.DataType.isTimestamp(type) ||
    arrow.DataType.isDate(type) ||
    isText(type) ||
    arrow.DataType.isDictionary(type);
  if (!supported) {
    throw new InvalidDataError(
      `${file}: column "${field.name}" has type ${String(type)}, which tabsynth cannot learn; ` +
        'drop the column, or store it as numbers, text, booleans, dates or timestamps.',
    );
  }
}
