// One-hot encoding of a discrete column (categorical, ordinal, boolean): its categories in a
// fixed order with their counts, and the way back from a category to a value of the column's
// own Arrow type (text byte for byte, integers, floats, booleans, dictionaries).
import type * as arrow from 'apache-arrow';

import { InvalidDataError, InvalidMetadataError, UsageError } from '../util/errors.ts';
import type { ColumnType } from '../schema/metadata.ts';
import { valueTypeOf, type ArrowTypeJSON } from './arrow-types.ts';
import type { CategoryValue, CodedColumn } from './arrow-read.ts';
import {
  buildBigIntData,
  buildBoolData,
  buildCodedTextData,
  buildDictionaryData,
  buildNumberData,
} from './arrow-write.ts';

/** The JavaScript type of a discrete column's non-null values. */
export type CategoryKind = 'string' | 'number' | 'boolean' | 'bigint';

/** A category as JSON: bigints are written as decimal strings (see `kind`). */
export type CategoryJSON = string | number | boolean | null;

/** Everything a fitted discrete column model holds; JSON-safe. */
export interface DiscreteModelJSON {
  kind: CategoryKind;
  /** Categories in span order; null (missing) is last when present. */
  categories: CategoryJSON[];
  /** Rows of each category at fit time. */
  counts: number[];
}

/** Most valid values an error message lists. */
const LISTED_VALUES = 40;

/**
 * The fitted model of one discrete column. Category order: an ordinal's `order`, else numbers
 * ascending for numeric ordinals and first appearance for text ordinals (the metadata default);
 * categorical and boolean columns sorted by value (UTF-16 code units for text, false before
 * true), so the same categories give the same layout whatever the row order. Null is last.
 */
export class DiscreteModel {
  /** Categories as the column holds them (bigints as bigint). */
  readonly values: CategoryValue[];
  private readonly indexByKey: Map<unknown, number>;

  private constructor(readonly state: DiscreteModelJSON) {
    this.values = state.categories.map((category) =>
      state.kind === 'bigint' && category !== null ? BigInt(category as string) : category,
    );
    this.indexByKey = new Map(this.values.map((value, index) => [keyOf(value), index]));
  }

  /**
   * Fits the categories of a coded column.
   * @param coded the column as codes (readCategories)
   * @param column the column's name, type and, for ordinals, level order
   * @throws InvalidMetadataError when the data hold a level that the ordinal `order` lacks
   */
  static fit(
    coded: CodedColumn,
    column: { name: string; type: ColumnType; order?: string[] },
  ): DiscreteModel {
    const counts = new Array<number>(coded.values.length).fill(0);
    for (let row = 0; row < coded.codes.length; row++) counts[coded.codes[row]!]!++;
    const order = categoryOrder(coded.values, column);
    const firstValue = coded.values.find((value) => value !== null);
    const kind = (firstValue === undefined ? 'string' : typeof firstValue) as CategoryKind;
    return new DiscreteModel({
      kind,
      categories: order.map((code) => toJSONValue(coded.values[code]!)),
      counts: order.map((code) => counts[code]!),
    });
  }

  /** Rebuilds a model from its JSON state. */
  static fromJSON(state: DiscreteModelJSON): DiscreteModel {
    return new DiscreteModel(structuredClone(state));
  }

  /** Number of categories: the width of the one-hot span. */
  get width(): number {
    return this.values.length;
  }

  /**
   * Writes the one-hot of every row into a zeroed matrix.
   * @param coded the rows as codes into their own distinct values
   * @param matrix row-major [rows, cols]
   * @param start offset of the span in a row
   * @throws InvalidDataError when a row holds a value unseen at fit time
   */
  transform(
    coded: CodedColumn,
    matrix: Float32Array,
    cols: number,
    start: number,
    column: string,
  ): void {
    const slots = this.slotsOf(coded, column);
    this.encodeRows(coded.codes, slots, matrix, cols, start, 0, coded.codes.length);
  }

  /**
   * The span index of each of a coded column's distinct values.
   * @throws InvalidDataError naming the first row whose value was unseen at fit time
   */
  slotsOf(coded: CodedColumn, column: string): Int32Array {
    const slots = Int32Array.from(coded.values, (value) => this.indexByKey.get(keyOf(value)) ?? -1);
    const unseen = slots.indexOf(-1);
    if (unseen < 0) return slots;
    const row = coded.codes.indexOf(unseen);
    throw new InvalidDataError(
      `Column "${column}", row ${row + 1}: ${describeValue(coded.values[unseen]!)} was not ` +
        'seen when the transformer was fitted. Refit on a table that holds it.',
    );
  }

  /** Writes the one-hots of rows [from, to), given codes and their span indices (slotsOf). */
  encodeRows(
    codes: Int32Array,
    slots: Int32Array,
    matrix: Float32Array,
    cols: number,
    start: number,
    from: number,
    to: number,
  ): void {
    for (let row = from; row < to; row++) matrix[row * cols + start + slots[codes[row]!]!] = 1;
  }

  /**
   * Decodes rows: the category is the argmax of the span (the first on ties).
   * @param matrix row-major [rows, cols]
   * @returns one category index per row
   */
  inverse(matrix: Float32Array, rows: number, cols: number, start: number): Int32Array {
    const indices = new Int32Array(rows);
    this.decodeRows(matrix, cols, start, 0, rows, indices);
    return indices;
  }

  /** Decodes rows [from, to) into the same rows of `out` (see inverse). */
  decodeRows(
    matrix: Float32Array,
    cols: number,
    start: number,
    from: number,
    to: number,
    out: Int32Array,
  ): void {
    const width = this.width;
    for (let row = from; row < to; row++) {
      const base = row * cols + start;
      let bestIndex = 0;
      let best = matrix[base]!;
      for (let index = 1; index < width; index++) {
        const value = matrix[base + index]!;
        if (value > best) {
          best = value;
          bestIndex = index;
        }
      }
      out[row] = bestIndex;
    }
  }

  /**
   * Builds a column of the fit-time Arrow type from category indices.
   * @param indices one category index per row
   * @param type the column's Arrow type at fit time
   */
  toArrow(indices: Int32Array, type: ArrowTypeJSON): arrow.Data {
    const valueType = valueTypeOf(type);
    if (type.kind === 'dictionary') {
      // The dictionary holds the non-null categories in span order.
      const present = this.values.flatMap((value, index) => (value === null ? [] : [index]));
      const position = new Int32Array(this.width).fill(-1);
      present.forEach((index, slot) => (position[index] = slot));
      const slots = new Float64Array(indices.length);
      for (let row = 0; row < indices.length; row++) {
        slots[row] = Math.max(position[indices[row]!]!, 0);
      }
      const valid = this.validity(indices);
      const dictionary = this.buildValues(Int32Array.from(present), valueType);
      return buildDictionaryData(type, slots, valid, dictionary);
    }
    return this.buildValues(indices, valueType);
  }

  /**
   * The index of the category written `text`: a string category equal to it, else a number,
   * boolean or bigint whose text form matches, else the null category for 'null'.
   * @throws UsageError naming the column and listing its categories when none matches
   */
  indexOf(text: string, column: string): number {
    const exact = this.values.findIndex((value) => value === text);
    if (exact >= 0) return exact;
    const matched = this.values.findIndex((value) => matchesText(value, text));
    if (matched >= 0) return matched;
    const listed = this.values.slice(0, LISTED_VALUES).map(describeValue).join(', ');
    const more = this.width > LISTED_VALUES ? `, ... (${this.width - LISTED_VALUES} more)` : '';
    throw new UsageError(
      `Column "${column}" has no category ${JSON.stringify(text)}. ` +
        `Valid values: ${listed}${more}.`,
    );
  }

  /** The JSON-safe state (a copy). */
  toJSON(): DiscreteModelJSON {
    return structuredClone(this.state);
  }

  private validity(indices: Int32Array): Uint8Array | null {
    const nullIndex = this.values.indexOf(null);
    if (nullIndex < 0) return null;
    const valid = new Uint8Array(indices.length);
    for (let row = 0; row < indices.length; row++) valid[row] = indices[row] === nullIndex ? 0 : 1;
    return valid;
  }

  private buildValues(indices: Int32Array, type: ArrowTypeJSON): arrow.Data {
    const valid = this.validity(indices);
    switch (type.kind) {
      case 'utf8':
      case 'large-utf8':
        return buildCodedTextData(type, this.values.map(textOrNull), indices);
      case 'bool':
        return buildBoolData(this.lookup(indices, new Uint8Array(indices.length), toBit), valid);
      case 'int':
        if (type.bitWidth === 64) {
          const big = type.signed
            ? new BigInt64Array(indices.length)
            : new BigUint64Array(indices.length);
          return buildBigIntData(type, this.lookup(indices, big, toBigInt), valid);
        }
        return buildNumberData(type, this.numbers(indices), valid);
      case 'float':
        return buildNumberData(type, this.numbers(indices), valid);
      default:
        throw new Error(`DiscreteModel: cannot write categories as ${type.kind}`);
    }
  }

  private numbers(indices: Int32Array): Float64Array {
    return this.lookup(indices, new Float64Array(indices.length), toNumber);
  }

  /** Fills `out` with each row's category converted by `convert` (computed once per category). */
  private lookup<T extends number | bigint, A extends { [row: number]: T; length: number }>(
    indices: Int32Array,
    out: A,
    convert: (value: CategoryValue) => T,
  ): A {
    const converted = this.values.map(convert);
    for (let row = 0; row < indices.length; row++) out[row] = converted[indices[row]!]!;
    return out;
  }
}

/** Span order of a column's distinct values, as indices into `values`. */
function categoryOrder(
  values: CategoryValue[],
  column: { name: string; type: ColumnType; order?: string[] },
): number[] {
  const codes = values.map((_, code) => code).filter((code) => values[code] !== null);
  const nullCode = values.indexOf(null);
  const tail = nullCode >= 0 ? [nullCode] : [];

  if (column.type === 'ordinal' && column.order !== undefined) {
    const rank = new Map(column.order.map((level, index) => [level, index]));
    const missing = codes.filter((code) => !rank.has(String(values[code])));
    if (missing.length > 0) {
      const levels = missing.map((code) => describeValue(values[code]!)).join(', ');
      throw new InvalidMetadataError(
        `Column "${column.name}": the data hold level(s) ${levels} that its metadata "order" ` +
          'does not list. Add them to "order" (lowest to highest), or remove "order".',
      );
    }
    codes.sort((left, right) => rank.get(String(values[left]))! - rank.get(String(values[right]))!);
    return [...codes, ...tail];
  }
  const isText = codes.length > 0 && typeof values[codes[0]!] === 'string';
  if (column.type === 'ordinal' && isText) return [...codes, ...tail];
  codes.sort((left, right) => compareValues(values[left]!, values[right]!));
  return [...codes, ...tail];
}

function compareValues(left: CategoryValue, right: CategoryValue): number {
  if (typeof left === 'string' && typeof right === 'string') {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (typeof left === 'bigint' && typeof right === 'bigint') {
    return left < right ? -1 : left > right ? 1 : 0;
  }
  return Number(left) - Number(right);
}

function keyOf(value: CategoryValue): unknown {
  return typeof value === 'string' ? `s${value}` : value;
}

function toJSONValue(value: CategoryValue): CategoryJSON {
  return typeof value === 'bigint' ? value.toString() : value;
}

function textOrNull(value: CategoryValue): string | null {
  return value === null ? null : String(value);
}

function toBit(value: CategoryValue): number {
  return value === true ? 1 : 0;
}

function toNumber(value: CategoryValue): number {
  return typeof value === 'number' ? value : 0;
}

function toBigInt(value: CategoryValue): bigint {
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' ? BigInt(Math.round(value)) : 0n;
}

function matchesText(value: CategoryValue, text: string): boolean {
  if (value === null) return text === 'null';
  if (typeof value === 'boolean') return String(value) === text.toLowerCase();
  if (typeof value === 'number') {
    return String(value) === text || (text.trim() !== '' && Number(text) === value);
  }
  if (typeof value === 'bigint') return value.toString() === text.trim();
  return false;
}

function describeValue(value: CategoryValue): string {
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
