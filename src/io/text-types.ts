// The rules that give a text column (CSV cells, JSON values) its Arrow type. Each distinct
// value is observed once; the column's type is decided after the whole file was seen. The
// rules are documented for users in docs/metadata.md.
import type { ColumnType } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { BOOLEAN_SPELLINGS, type BooleanSpelling } from './boolean-spelling.ts';

/** The Arrow type a text column becomes. */
export type TextKind = 'int32' | 'float64' | 'bool' | 'utf8';

/** What a JSON value was before it became text; CSV cells are all 'text'. */
export type ValueKind = 'text' | 'string' | 'number' | 'boolean';

/** Where a column's values come from, for error messages. */
export interface ColumnSource {
  file: string;
  column: string;
  /** How a position is named: 'line' (CSV, JSON Lines), 'record' (JSON array), 'row'. */
  unit: 'line' | 'record' | 'row';
  /** The type the metadata declares, if the metadata names the column. */
  declared: ColumnType | undefined;
}

/** The decided type of a text column. */
export interface TextColumnType {
  kind: TextKind;
  /** bool only: the spelling to write values back with. */
  spelling?: BooleanSpelling;
}

// A number as people write it: no leading zeros ("007" is a code, not 7), an optional
// fraction and exponent. Thousands separators are not numbers.
const NUMBER = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// An integer as JavaScript writes it back: String(Number(text)) === text.
const CANONICAL_INTEGER = /^-?(?:0|[1-9]\d{0,9})$/;
const SPECIAL_FLOAT = /^[+-]?(?:nan|inf|infinity)$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Parses one number the way text columns are read: surrounding spaces are allowed, "NaN",
 * "inf" and overflow ("1e309") are reported rather than returned.
 * @param text the cell
 * @returns the number, 'special' for NaN/infinity spellings and overflow, or null for text
 */
export function parseNumberText(text: string): number | 'special' | null {
  const trimmed = text.trim();
  if (SPECIAL_FLOAT.test(trimmed)) return 'special';
  if (!NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : 'special';
}

/**
 * The boolean value of a spelling ('True' -> true), or null for anything else.
 * @param text the cell, matched exactly
 */
export function parseBooleanText(text: string): boolean | null {
  const bit = BOOLEAN_BITS.get(text);
  if (bit === undefined) return null;
  return text.length === 4;
}

// One bit per spelling, in the order of BOOLEAN_SPELLINGS.
const BOOLEAN_BITS = new Map<string, number>([
  ['true', 1],
  ['false', 1],
  ['True', 2],
  ['False', 2],
  ['TRUE', 4],
  ['FALSE', 4],
]);

/**
 * Watches the distinct values of one text column and decides its type. Declared types are
 * checked as values arrive, so a wrong value is reported with the line it first occurs on.
 */
export class TypeTracker {
  private seenKinds = 0;
  private allNumbers = true;
  private allInt32 = true;
  private allExact = true;
  private realNumbers = 0;
  private booleanBits = 0;
  private allBooleans = true;
  private firstSpelling: BooleanSpelling | null = null;
  private special: { value: string; line: number } | null = null;

  constructor(private readonly source: ColumnSource) {}

  /**
   * Observes a value the first time it is seen in the column.
   * @param value the text of the value (JSON numbers as String(n))
   * @param line where it occurs (line, record or row, 1-based)
   * @param kind what the value was before it became text
   * @throws InvalidDataError when the value contradicts the declared type
   */
  observe(value: string, line: number, kind: ValueKind): void {
    this.seenKinds |= KIND_BITS[kind];
    this.observeBoolean(value, kind);
    this.observeNumber(value, line, kind);
    const declared = this.source.declared;
    if (declared === 'continuous' && !this.allNumbers) {
      throw this.error(
        line,
        `${JSON.stringify(value)} is not a number, but the metadata types the column ` +
          `continuous. Declare the value missing ("missingValues": [${JSON.stringify(value)}]), ` +
          'fix the file, or type the column categorical.',
      );
    }
    if (declared === 'boolean' && !this.allBooleans) {
      throw this.error(
        line,
        `${JSON.stringify(value)} is not a boolean, but the metadata types the column boolean ` +
          '(accepted: true/false, True/False, TRUE/FALSE). Declare the value missing, fix the ' +
          'file, or type the column categorical.',
      );
    }
  }

  /**
   * Decides the column's type once every value was observed.
   * @returns the Arrow type to build and, for booleans, their spelling
   * @throws InvalidDataError for NaN, infinities or overflow in a numeric column
   */
  decide(): TextColumnType {
    const declared = this.source.declared;
    if (this.seenKinds === 0 || declared === 'datetime') return { kind: 'utf8' };
    if (declared === 'boolean') return this.booleanType();
    if (declared === 'continuous') return this.numericType();

    // Undeclared, categorical, ordinal or id: what the values look like decides.
    switch (this.seenKinds) {
      case KIND_BITS.boolean:
        return this.booleanType();
      case KIND_BITS.number:
        return this.numericType();
      case KIND_BITS.text:
        if (this.allBooleans && this.isSingleSpelling()) return this.booleanType();
        if (this.allNumbers && this.realNumbers > 0) {
          if (this.special) this.throwSpecial(this.special);
          if (this.allInt32) return { kind: 'int32' };
          // Other numbers in text: Float64 unless the column is declared discrete (its
          // values must survive byte for byte: "1.50" is not "1.5") or holds integers
          // beyond 2^53, which a double cannot hold exactly.
          if (declared === undefined && this.allExact) return { kind: 'float64' };
        }
        return { kind: 'utf8' };
      default:
        // JSON strings, or values of several JSON types in one column: kept as text.
        return { kind: 'utf8' };
    }
  }

  private booleanType(): TextColumnType {
    return { kind: 'bool', spelling: this.firstSpelling ?? 'true/false' };
  }

  private numericType(): TextColumnType {
    if (this.special) this.throwSpecial(this.special);
    return { kind: this.allInt32 ? 'int32' : 'float64' };
  }

  private observeBoolean(value: string, kind: ValueKind): void {
    const asText = kind === 'text' || (kind === 'string' && this.source.declared === 'boolean');
    const bit = asText || kind === 'boolean' ? BOOLEAN_BITS.get(value) : undefined;
    if (bit === undefined) {
      this.allBooleans = false;
      return;
    }
    this.booleanBits |= bit;
    this.firstSpelling ??= BOOLEAN_SPELLINGS[Math.log2(bit)]!;
  }

  private observeNumber(value: string, line: number, kind: ValueKind): void {
    if (kind === 'boolean' || (kind === 'string' && this.source.declared !== 'continuous')) {
      this.allNumbers = false;
      this.allInt32 = false;
      return;
    }
    const strict = this.source.declared === 'continuous' ? value.trim() : value;
    if (SPECIAL_FLOAT.test(strict)) {
      this.special ??= { value, line };
      return;
    }
    if (!NUMBER.test(strict)) {
      this.allNumbers = false;
      this.allInt32 = false;
      return;
    }
    const number = Number(strict);
    if (!Number.isFinite(number)) {
      this.special ??= { value, line };
      return;
    }
    this.realNumbers++;
    const isCanonicalInteger = CANONICAL_INTEGER.test(strict);
    if (!(isCanonicalInteger && number >= INT32_MIN && number <= INT32_MAX && strict !== '-0')) {
      this.allInt32 = false;
    }
    if (!/[.eE]/.test(strict) && !Number.isSafeInteger(number)) this.allExact = false;
  }

  private isSingleSpelling(): boolean {
    const bits = this.booleanBits;
    return bits !== 0 && (bits & (bits - 1)) === 0;
  }

  private throwSpecial(special: { value: string; line: number }): never {
    const shown = JSON.stringify(special.value);
    const overflow = !SPECIAL_FLOAT.test(special.value.trim());
    const what = overflow
      ? `${shown} is too large for a 64-bit float (it would become infinity)`
      : /nan/i.test(special.value)
        ? `${shown} (not a number) is in a numeric column`
        : `${shown} is infinite`;
    throw this.error(
      special.line,
      `${what}; tabsynth cannot learn NaN or infinite values. Declare the spelling missing ` +
        `("missingValues": [${shown}]) to read it as null, or replace it with a finite number.`,
    );
  }

  private error(line: number, message: string): InvalidDataError {
    const { file, column, unit } = this.source;
    return new InvalidDataError(`${file}: column "${column}", ${unit} ${line}: ${message}`);
  }
}

const KIND_BITS: Readonly<Record<ValueKind, number>> = {
  text: 1,
  string: 2,
  number: 4,
  boolean: 8,
};
