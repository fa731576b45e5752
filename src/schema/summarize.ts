// Per-column summaries of a table for `tabsynth inspect-data`: nulls, distinct values, the
// range and moments of numbers and datetimes, and the most frequent values of discrete
// columns; plus a plain-text rendering of them.
import * as arrow from 'apache-arrow';

import { booleanSpellingOf, spellBoolean } from '../io/boolean-spelling.ts';
import { formatDatetime, parseDatetime } from './datetime.ts';
import { type ColumnType, DISCRETE_TYPES, type TableMetadata } from './metadata.ts';

/** The summary of one column. */
export interface ColumnSummary {
  name: string;
  /** The metadata type. */
  type: ColumnType;
  /** The Arrow type, e.g. 'Int32', 'Utf8'. */
  arrowType: string;
  nulls: number;
  distinct: number;
  /** continuous and datetime: over non-null values (datetimes as epoch milliseconds). */
  min?: number;
  max?: number;
  mean?: number;
  /** Population standard deviation. */
  std?: number;
  /** datetime: min and max written as text. */
  minText?: string;
  maxText?: string;
  /** Discrete columns: the 5 most frequent values (as text) and their counts, most first. */
  top?: { value: string; count: number }[];
}

/** The summary of a table. */
export interface TableSummary {
  rows: number;
  columns: ColumnSummary[];
}

const TOP_COUNT = 5;

/**
 * Summarizes every column that the metadata lists.
 * @param table the table
 * @param metadata its metadata (validated against it)
 * @returns one summary per metadata column, in metadata order
 */
export function summarizeTable(table: arrow.Table, metadata: TableMetadata): TableSummary {
  const columns = metadata.columns.map((column): ColumnSummary => {
    const vector = table.getChild(column.name)!;
    const counts = new Map<unknown, number>();
    for (const value of vector) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    const summary: ColumnSummary = {
      name: column.name,
      type: column.type,
      arrowType: String(vector.type),
      nulls: vector.nullCount,
      distinct: counts.size,
    };
    if (column.type === 'continuous' || column.type === 'datetime') {
      const toNumber =
        column.type === 'datetime' && column.format !== undefined
          ? (value: unknown) => parseDatetime(value as string, column.format!)
          : (value: unknown) => (typeof value === 'number' ? value : null);
      Object.assign(summary, moments(counts, toNumber));
      if (column.type === 'datetime' && summary.min !== undefined) {
        const format = column.format ?? '%Y-%m-%d %H:%M:%S';
        summary.minText = formatDatetime(summary.min, format);
        summary.maxText = formatDatetime(summary.max!, format);
      }
    }
    if (DISCRETE_TYPES.includes(column.type)) {
      // Booleans are shown as the file spells them.
      const field = table.schema.fields.find((candidate) => candidate.name === column.name)!;
      const spelling = booleanSpellingOf(field);
      const text = (value: unknown): string =>
        typeof value === 'boolean' ? spellBoolean(value, spelling) : String(value);
      summary.top = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP_COUNT)
        .map(([value, count]) => ({ value: text(value), count }));
    }
    return summary;
  });
  return { rows: table.numRows, columns };
}

/**
 * A plain-text table of the summary, one line per column plus the top values.
 * @param summary from summarizeTable
 * @returns lines joined by newlines, without a trailing newline
 */
export function formatSummary(summary: TableSummary): string {
  const lines = [`${summary.rows} rows, ${summary.columns.length} columns`];
  const width = Math.max(...summary.columns.map((column) => column.name.length), 6);
  for (const column of summary.columns) {
    let line =
      `${column.name.padEnd(width)}  ${column.type.padEnd(11)} ${column.arrowType.padEnd(22)}` +
      ` nulls ${String(column.nulls).padStart(7)}  distinct ${String(column.distinct).padStart(7)}`;
    if (column.minText !== undefined) line += `  ${column.minText} .. ${column.maxText}`;
    else if (column.min !== undefined) {
      line += `  min ${round(column.min)}  max ${round(column.max!)}`;
      line += `  mean ${round(column.mean!)}  std ${round(column.std!)}`;
    }
    lines.push(line);
    if (column.top) {
      const top = column.top.map(({ value, count }) => `${JSON.stringify(value)} ${count}`);
      lines.push(`${' '.repeat(width + 2)}top: ${top.join(', ')}`);
    }
  }
  return lines.join('\n');
}

/** min, max, mean and std of the distinct values weighted by their counts. */
function moments(
  counts: Map<unknown, number>,
  toNumber: (value: unknown) => number | null,
): Partial<ColumnSummary> {
  let n = 0;
  let mean = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const [value, count] of counts) {
    const x = toNumber(value);
    if (x === null) continue;
    // Welford's update, for `count` equal values at once.
    const total = n + count;
    const delta = x - mean;
    mean += (delta * count) / total;
    squares += delta * delta * ((n * count) / total);
    n = total;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) return {};
  return { min, max, mean, std: Math.sqrt(squares / n) };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}
