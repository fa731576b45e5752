// The Arrow types a transformer accepts, as JSON: the fitted schema is saved with the
// transformer so that `inverse` rebuilds exactly the fit table's columns, types and nullability.
import * as arrow from 'apache-arrow';

import { InvalidDataError } from '../util/errors.ts';

/** Bit width of an Arrow integer type. */
export type IntegerBitWidth = 8 | 16 | 32 | 64;

/** A supported Arrow data type, as plain JSON. */
export type ArrowTypeJSON =
  | { kind: 'bool' }
  | { kind: 'int'; bitWidth: IntegerBitWidth; signed: boolean }
  | { kind: 'float'; bits: 16 | 32 | 64 }
  | { kind: 'utf8' }
  | { kind: 'large-utf8' }
  | { kind: 'date'; unit: 'day' | 'millisecond' }
  | { kind: 'timestamp'; unit: TimestampUnit; timezone: string | null }
  | {
      kind: 'dictionary';
      id: number;
      ordered: boolean;
      index: { bitWidth: IntegerBitWidth; signed: boolean };
      value: ArrowTypeJSON;
    };

/** The index types arrow-js accepts for a dictionary (its own TKeys, not exported). */
type DictionaryIndexType = ConstructorParameters<typeof arrow.Dictionary>[1];

/** Resolution of an Arrow timestamp. */
export type TimestampUnit = 'second' | 'millisecond' | 'microsecond' | 'nanosecond';

/** A field of the fitted schema, as plain JSON. */
export interface FieldJSON {
  name: string;
  type: ArrowTypeJSON;
  nullable: boolean;
  /** The field's Arrow metadata, key to value, when it had any. */
  metadata?: Record<string, string>;
}

/** Milliseconds per unit of each timestamp resolution. */
export const MS_PER_TIMESTAMP_UNIT: Record<TimestampUnit, number> = {
  second: 1000,
  millisecond: 1,
  microsecond: 1e-3,
  nanosecond: 1e-6,
};

const TIMESTAMP_UNITS: TimestampUnit[] = ['second', 'millisecond', 'microsecond', 'nanosecond'];

/**
 * Describes an Arrow type as JSON.
 * @param type the column's Arrow type
 * @param column the column's name, for the error message
 * @throws InvalidDataError for types tabsynth cannot learn (lists, structs, binary, decimals,
 *   times of day, intervals, durations, views)
 */
export function typeToJSON(type: arrow.DataType, column: string): ArrowTypeJSON {
  if (arrow.DataType.isBool(type)) return { kind: 'bool' };
  if (arrow.DataType.isInt(type)) {
    return { kind: 'int', bitWidth: type.bitWidth as IntegerBitWidth, signed: type.isSigned };
  }
  if (arrow.DataType.isFloat(type)) {
    const bits =
      type.precision === arrow.Precision.HALF
        ? 16
        : type.precision === arrow.Precision.SINGLE
          ? 32
          : 64;
    return { kind: 'float', bits };
  }
  if (arrow.DataType.isUtf8(type)) return { kind: 'utf8' };
  if (arrow.DataType.isLargeUtf8(type)) return { kind: 'large-utf8' };
  if (arrow.DataType.isDate(type)) {
    return { kind: 'date', unit: type.unit === arrow.DateUnit.DAY ? 'day' : 'millisecond' };
  }
  if (arrow.DataType.isTimestamp(type)) {
    return {
      kind: 'timestamp',
      unit: TIMESTAMP_UNITS[type.unit]!,
      timezone: type.timezone ?? null,
    };
  }
  if (arrow.DataType.isDictionary(type)) {
    return {
      kind: 'dictionary',
      id: Number(type.id),
      ordered: Boolean(type.isOrdered),
      index: { bitWidth: type.indices.bitWidth as IntegerBitWidth, signed: type.indices.isSigned },
      value: typeToJSON(type.dictionary, column),
    };
  }
  throw new InvalidDataError(
    `Column "${column}" has Arrow type ${String(type)}, which tabsynth cannot learn. ` +
      'Supported: booleans, integers, floats, UTF-8 strings (plain or dictionary-encoded), ' +
      'dates and timestamps. Convert the column or drop it from the table.',
  );
}

/**
 * Rebuilds an Arrow type from its JSON description.
 * @param json a description made by typeToJSON
 */
export function typeFromJSON(json: ArrowTypeJSON): arrow.DataType {
  switch (json.kind) {
    case 'bool':
      return new arrow.Bool();
    case 'int':
      return makeIntType(json.bitWidth, json.signed);
    case 'float':
      if (json.bits === 16) return new arrow.Float16();
      return json.bits === 32 ? new arrow.Float32() : new arrow.Float64();
    case 'utf8':
      return new arrow.Utf8();
    case 'large-utf8':
      return new arrow.LargeUtf8();
    case 'date':
      return json.unit === 'day' ? new arrow.DateDay() : new arrow.DateMillisecond();
    case 'timestamp':
      return new arrow.Timestamp(TIMESTAMP_UNITS.indexOf(json.unit), json.timezone);
    case 'dictionary':
      return new arrow.Dictionary(
        typeFromJSON(json.value),
        makeIntType(json.index.bitWidth, json.index.signed) as DictionaryIndexType,
        json.id,
        json.ordered,
      );
  }
}

/**
 * Describes a schema field as JSON.
 * @throws InvalidDataError when the field's type is not supported (see typeToJSON)
 */
export function fieldToJSON(field: arrow.Field): FieldJSON {
  const json: FieldJSON = {
    name: field.name,
    type: typeToJSON(field.type, field.name),
    nullable: field.nullable,
  };
  if (field.metadata.size > 0) json.metadata = Object.fromEntries(field.metadata);
  return json;
}

/** Rebuilds a schema field from its JSON description. */
export function fieldFromJSON(json: FieldJSON): arrow.Field {
  const metadata = new Map(Object.entries(json.metadata ?? {}));
  return new arrow.Field(json.name, typeFromJSON(json.type), json.nullable, metadata);
}

/** The value type of a dictionary type, or the type itself. */
export function valueTypeOf(json: ArrowTypeJSON): ArrowTypeJSON {
  return json.kind === 'dictionary' ? json.value : json;
}

function makeIntType(bitWidth: IntegerBitWidth, signed: boolean): arrow.Int {
  switch (bitWidth) {
    case 8:
      return signed ? new arrow.Int8() : new arrow.Uint8();
    case 16:
      return signed ? new arrow.Int16() : new arrow.Uint16();
    case 32:
      return signed ? new arrow.Int32() : new arrow.Uint32();
    case 64:
      return signed ? new arrow.Int64() : new arrow.Uint64();
  }
}
