// Builds an Arrow table from rows of text (CSV cells) or JSON values. Each column keeps a
// dictionary of its distinct values and each kept row only their codes, so memory follows the
// number of distinct values rather than the file size; types are decided at the end.
import * as arrow from 'apache-arrow';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { boolVector, float64Vector, int32Vector, utf8FromCodes } from './arrow-build.ts';
import { BOOLEAN_SPELLING_KEY } from './boolean-spelling.ts';
import { CodedRows } from './reservoir.ts';
import {
  parseBooleanText,
  parseNumberText,
  TypeTracker,
  type TextColumnType,
  type ValueKind,
} from './text-types.ts';

/** What the builder needs to know about the file it reads. */
export interface TextTableOptions {
  /** The file, for error messages. */
  file: string;
  /** How positions are named in messages: CSV and JSON Lines use 'line', JSON 'record'. */
  unit: 'line' | 'record';
  /** Column names, in file order. */
  names: readonly string[];
  /** Declared types and missing values, matched to columns by name. */
  metadata?: TableMetadata;
  /** Keep a uniform sample of at most this many rows; null keeps all. */
  maxRows: number | null;
  /** Sampling seed. */
  seed: number;
}

/** One column: its distinct values, their codes, and the tracker that types them. */
class TextColumn {
  readonly codes = new Map<string, number>();
  values: string[] = [];
  /** Non-null cells seen in the whole file (not only in kept rows). */
  nonNull = 0;
  /** Whether a value with a line break was seen; only then are cells scanned for them. */
  hasLineBreaks = false;
  readonly tracker: TypeTracker;
  readonly missing: ReadonlySet<string> | null;

  constructor(
    readonly name: string,
    options: TextTableOptions,
  ) {
    const declared = options.metadata?.columns.find((column) => column.name === name);
    this.missing = declared?.missingValues?.length ? new Set(declared.missingValues) : null;
    this.tracker = new TypeTracker({
      file: options.file,
      column: name,
      unit: options.unit,
      declared: declared?.type,
    });
  }

  /** Adds a value not seen before (or dropped by compaction) and returns its code. */
  add(value: string, line: number, kind: ValueKind): number {
    this.tracker.observe(value, line, kind);
    // A short slice of a parser's chunk would keep the whole chunk alive; copying the new
    // distinct value keeps memory proportional to the distinct values themselves.
    const owned = value.length >= 13 ? Buffer.from(value, 'utf8').toString('utf8') : value;
    const code = this.values.length;
    this.values.push(owned);
    this.codes.set(owned, code);
    if (kind === 'text' && owned.includes('\n')) this.hasLineBreaks = true;
    return code;
  }
}

// With sampling, a column's dictionary is compacted (values no kept row uses are dropped)
// when it passes this many entries and 4 times maxRows, so memory stays bounded.
const COMPACT_MIN_VALUES = 1 << 16;

/** Accumulates rows and returns the table. */
export class TextTableBuilder {
  private readonly columns: TextColumn[];
  private readonly rows: CodedRows;

  constructor(private readonly options: TextTableOptions) {
    this.columns = options.names.map((name) => new TextColumn(name, options));
    this.rows = new CodedRows(this.columns.length, options.maxRows, options.seed);
  }

  /** Rows offered so far. */
  get rowCount(): number {
    return this.rows.seen;
  }

  /**
   * Adds one row of CSV cells ('' and declared missing values are null).
   * @param cells one cell per column, already checked for count
   * @param line the line the row starts on
   * @returns the number of line breaks inside the row's quoted cells
   */
  addTextRow(cells: readonly string[], line: number): number {
    const offset = this.rows.offer();
    const buffer = this.rows.buffer;
    let lineBreaks = 0;
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c]!;
      const cell = cells[c]!;
      let code = -1;
      if (cell !== '' && (column.missing === null || !column.missing.has(cell))) {
        code = column.codes.get(cell) ?? column.add(cell, line, 'text');
        column.nonNull++;
        if (column.hasLineBreaks) lineBreaks += countLineBreaks(cell);
      }
      if (offset >= 0) buffer[offset + c] = code;
    }
    if (offset >= 0) this.maybeCompact();
    return lineBreaks;
  }

  /**
   * Adds one row of JSON values, by column; undefined and null are null.
   * @param values one value per column
   * @param line the line or record number of the row
   * @throws InvalidDataError for objects and arrays, which are not table cells
   */
  addValueRow(values: readonly unknown[], line: number): void {
    const offset = this.rows.offer();
    const buffer = this.rows.buffer;
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c]!;
      const code = this.codeOfValue(column, values[c], line);
      if (offset >= 0) buffer[offset + c] = code;
    }
    if (offset >= 0) this.maybeCompact();
  }

  /**
   * Decides each column's type and builds the table from the kept rows, in file order.
   * @throws InvalidDataError when there are no rows, when a column is null in every row,
   *   and for values that contradict the column's type (NaN, infinities)
   */
  finish(): arrow.Table {
    const { file, unit } = this.options;
    if (this.rows.seen === 0) {
      const where = unit === 'line' ? 'a header but no rows' : 'no records';
      throw new InvalidDataError(`${file}: the table has ${where}; it needs at least one row.`);
    }
    const order = this.rows.fileOrder();
    const fields: arrow.Field[] = [];
    const vectors: arrow.Vector[] = [];
    this.columns.forEach((column, index) => {
      if (column.nonNull === 0) throw allNullError(file, column.name);
      const type = column.tracker.decide();
      const vector = buildVector(column, type, this.rows.column(index, order));
      const fieldMetadata = new Map<string, string>();
      if (type.spelling) fieldMetadata.set(BOOLEAN_SPELLING_KEY, type.spelling);
      fields.push(new arrow.Field(column.name, vector.type, true, fieldMetadata));
      vectors.push(vector);
    });
    const schema = new arrow.Schema(fields);
    const data = arrow.makeData({
      type: new arrow.Struct(fields),
      length: order.length,
      nullCount: 0,
      children: vectors.map((vector) => vector.data[0]!),
    });
    return new arrow.Table([new arrow.RecordBatch(schema, data)]);
  }

  private codeOfValue(column: TextColumn, value: unknown, line: number): number {
    let text: string;
    let kind: ValueKind;
    switch (typeof value) {
      case 'undefined':
        return -1;
      case 'string':
        text = value;
        kind = 'string';
        break;
      case 'number':
        text = String(value);
        kind = 'number';
        break;
      case 'boolean':
        text = String(value);
        kind = 'boolean';
        break;
      default: {
        if (value === null) return -1;
        const what = Array.isArray(value) ? 'an array' : 'an object';
        throw new InvalidDataError(
          `${this.options.file}: ${this.options.unit} ${line}, key "${column.name}": the value ` +
            `is ${what}, but a table cell must be a string, number, boolean or null. Flatten ` +
            'the records so that each key holds one value.',
        );
      }
    }
    if (column.missing !== null && column.missing.has(text)) return -1;
    column.nonNull++;
    return column.codes.get(text) ?? column.add(text, line, kind);
  }

  private maybeCompact(): void {
    const maxRows = this.options.maxRows;
    if (maxRows === null) return;
    const limit = Math.max(COMPACT_MIN_VALUES, 4 * maxRows);
    this.columns.forEach((column, index) => {
      if (column.values.length > limit) this.compact(column, index);
    });
  }

  /** Drops the distinct values no kept row uses and renumbers the codes. */
  private compact(column: TextColumn, index: number): void {
    const buffer = this.rows.buffer;
    const width = this.columns.length;
    const kept = Math.min(this.rows.seen, this.options.maxRows!);
    const remap = new Int32Array(column.values.length).fill(-1);
    const values: string[] = [];
    column.codes.clear();
    for (let slot = 0; slot < kept; slot++) {
      const at = slot * width + index;
      const code = buffer[at]!;
      if (code < 0) continue;
      if (remap[code] === -1) {
        remap[code] = values.length;
        column.codes.set(column.values[code]!, values.length);
        values.push(column.values[code]!);
      }
      buffer[at] = remap[code]!;
    }
    column.values = values;
  }
}

/** The error for a column without a single value. */
export function allNullError(file: string, column: string): InvalidDataError {
  return new InvalidDataError(
    `${file}: column "${column}" is null (empty or a declared missing value) in every row; ` +
      'drop the column from the file and the metadata, or give it values.',
  );
}

function buildVector(column: TextColumn, type: TextColumnType, codes: Int32Array): arrow.Vector {
  const values = column.values;
  if (type.kind === 'utf8') return utf8FromCodes(codes, values);
  const valid = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) valid[i] = codes[i]! >= 0 ? 1 : 0;
  if (type.kind === 'bool') {
    const byCode = values.map((value) => (parseBooleanText(value) ? 1 : 0));
    const out = new Uint8Array(codes.length);
    for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) out[i] = byCode[codes[i]!]!;
    return boolVector(out, valid);
  }
  // Numbers: each distinct text is parsed once. The tracker has already rejected text,
  // NaN and infinities, so every value parses to a finite number here.
  const byCode = values.map((value) => parseNumberText(value) as number);
  const out = type.kind === 'int32' ? new Int32Array(codes.length) : new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) out[i] = byCode[codes[i]!]!;
  return out instanceof Int32Array ? int32Vector(out, valid) : float64Vector(out, valid);
}

function countLineBreaks(cell: string): number {
  let count = 0;
  for (let at = cell.indexOf('\n'); at >= 0; at = cell.indexOf('\n', at + 1)) count++;
  return count;
}
