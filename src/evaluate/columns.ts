// Turns the Arrow tables under evaluation into typed arrays that every metric shares:
// numeric and datetime columns as Float64Array (NaN = null), discrete columns as integer codes
// over one dictionary per column, the same for the real, synthetic and held-out tables.
import type * as arrow from 'apache-arrow';

import { parseDatetime } from '../schema/datetime.ts';
import type { ColumnMetadata, ColumnType, TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';

/** How a metric sees a column: a number line, or a set of codes. */
export type ColumnKind = 'numeric' | 'categorical';

/** One evaluated column; `labels` is shared by every table encoded together. */
export interface EncodedColumn {
  name: string;
  type: ColumnType;
  kind: ColumnKind;
  /** Categorical: the label of each code; null is the code of missing values. */
  labels: (string | null)[];
}

/** One table's values, aligned with the `EncodedColumn` list it was encoded with. */
export interface EncodedTable {
  /** A name for messages: 'real', 'synthetic', 'holdout'. */
  role: string;
  rows: number;
  /** Per column: Float64Array for numeric columns, Int32Array of codes for categorical. */
  values: (Float64Array | Int32Array)[];
}

/** Tables encoded over one shared set of dictionaries. */
export interface EncodedTables {
  columns: EncodedColumn[];
  tables: EncodedTable[];
  /** Columns of type id, which no metric looks at. */
  ignored: string[];
}

/** A table to encode and the name messages use for it. */
export interface NamedTable {
  role: string;
  table: arrow.Table;
}

/**
 * Encodes tables column by column as the metadata types them; id columns are left out.
 * @param tables the tables, the first of which (the real one) orders the categories
 * @param metadata column types; `missingValues` strings become null
 * @returns the columns and, per table, their typed arrays
 * @throws InvalidDataError when a table lacks a column or a numeric cell is not a number
 */
export function encodeTables(tables: NamedTable[], metadata: TableMetadata): EncodedTables {
  const columns: EncodedColumn[] = [];
  const encoded: EncodedTable[] = tables.map(({ role, table }) => ({
    role,
    rows: table.numRows,
    values: [],
  }));
  const ignored: string[] = [];

  for (const meta of metadata.columns) {
    if (meta.type === 'id') {
      ignored.push(meta.name);
      continue;
    }
    const vectors = tables.map(({ role, table }) => columnVector(table, meta.name, role));
    const missing = new Set(meta.missingValues ?? []);
    if (meta.type === 'continuous' || meta.type === 'datetime') {
      columns.push({ name: meta.name, type: meta.type, kind: 'numeric', labels: [] });
      vectors.forEach((vector, t) => {
        encoded[t]!.values.push(toNumbers(vector, meta, missing, tables[t]!.role));
      });
    } else {
      const dictionary = new Dictionary(meta.type === 'ordinal' ? meta.order : undefined);
      vectors.forEach((vector, t) => encoded[t]!.values.push(toCodes(vector, missing, dictionary)));
      const labels = dictionary.labels;
      columns.push({ name: meta.name, type: meta.type, kind: 'categorical', labels });
    }
  }
  return { columns, tables: encoded, ignored };
}

/**
 * Milliseconds since 1970 of a datetime written as text: read with the column's strftime
 * `format` when it has one; without one, ISO-like text without a zone ("2019-03-23
 * 20:21:09", "2019-03-23") is read as UTC and other text goes to Date.parse.
 * @returns the time, or NaN when the text is not a date
 */
export function parseDatetimeText(text: string, format?: string): number {
  if (format !== undefined) return parseDatetime(text.trim(), format) ?? NaN;
  const iso = ISO_DATETIME.exec(text.trim());
  if (iso !== null) {
    const [, year, month, day, hour, minute, second, fraction] = iso;
    const millis = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
    return Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour ?? 0),
      Number(minute ?? 0),
      Number(second ?? 0),
      millis,
    );
  }
  return Date.parse(text);
}

// YYYY-MM-DD, optionally followed by HH:MM[:SS[.fff]], without a time zone.
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/** Categories in order of first sight (or a given order first), null included. */
class Dictionary {
  readonly labels: (string | null)[] = [];
  private readonly codes = new Map<string | null, number>();

  constructor(order?: string[]) {
    for (const label of order ?? []) this.code(label);
  }

  code(label: string | null): number {
    let code = this.codes.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(label);
      this.codes.set(label, code);
    }
    return code;
  }
}

function columnVector(table: arrow.Table, name: string, role: string): arrow.Vector {
  const vector = table.getChild(name);
  if (vector === null) {
    const present = table.schema.fields.map((field) => field.name).join(', ');
    throw new InvalidDataError(
      `The ${role} table has no column "${name}", which the metadata lists ` +
        `(its columns: ${present}). Pass tables that match the metadata.`,
    );
  }
  return vector;
}

function toNumbers(
  vector: arrow.Vector,
  meta: ColumnMetadata,
  missing: Set<string>,
  role: string,
): Float64Array {
  const out = new Float64Array(vector.length);
  for (let row = 0; row < vector.length; row++) {
    const value: unknown = vector.get(row);
    const number = cellToNumber(value, meta, missing);
    if (Number.isNaN(number) && value !== null && !isMissingNumber(value, missing)) {
      throw new InvalidDataError(
        `The ${role} table's ${meta.type} column "${meta.name}" holds ${JSON.stringify(
          String(value),
        )} in row ${row + 1}, which is not a ${meta.type === 'datetime' ? 'date' : 'number'}. ` +
          `Declare it in the column's missingValues, or give the column another type.`,
      );
    }
    out[row] = number;
  }
  return out;
}

// NaN for null and missing cells; NaN for unreadable ones too, which the caller reports.
function cellToNumber(value: unknown, meta: ColumnMetadata, missing: Set<string>): number {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  if (missing.has(text) || text.trim() === '') return NaN;
  return meta.type === 'datetime' ? parseDatetimeText(text, meta.format) : Number(text);
}

function isMissingNumber(value: unknown, missing: Set<string>): boolean {
  if (typeof value === 'number') return true; // NaN stored in a float column
  const text = String(value);
  return missing.has(text) || text.trim() === '';
}

function toCodes(vector: arrow.Vector, missing: Set<string>, dictionary: Dictionary): Int32Array {
  const out = new Int32Array(vector.length);
  for (let row = 0; row < vector.length; row++) {
    const value: unknown = vector.get(row);
    let label: string | null = value === null || value === undefined ? null : String(value);
    if (label !== null && missing.has(label)) label = null;
    out[row] = dictionary.code(label);
  }
  return out;
}
