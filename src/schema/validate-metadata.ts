// Checks metadata against the table it describes: the same columns, and values that fit
// each declared type (ordinal levels in `order`, datetimes in `format`, booleans, ...).
import * as arrow from 'apache-arrow';

import { InvalidMetadataError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import { parseDatetime } from './datetime.ts';
import { detectDatetimeFormat } from './datetime-detect.ts';
import type { ColumnMetadata, TableMetadata } from './metadata.ts';

const log = getLogger('schema');

/** The files involved, for messages. */
export interface MetadataFiles {
  /** The table's file. */
  data: string;
  /** The metadata's file; absent when the metadata was inferred. */
  metadata?: string;
}

/**
 * Checks that the metadata and the table agree, and completes it: a text datetime column
 * declared without `format` gets the format its values are written in, when one fits all.
 * @param metadata the metadata (loaded or inferred)
 * @param table the table as readTable returned it
 * @param files the file names to put in messages
 * @throws InvalidMetadataError for columns named on one side only (listing them and both
 *   files), and for values the declared type rejects: text in a continuous column, ordinal
 *   values missing from `order`, datetime text that does not parse with `format` (or text
 *   datetimes without one), non-boolean values in a boolean column, fractions in an
 *   `integer` column, and a positiveClass the target never takes
 * @returns a copy of the metadata with the detected formats filled in
 */
export function validateMetadata(
  metadata: TableMetadata,
  table: arrow.Table,
  files: MetadataFiles,
): TableMetadata {
  const where = files.metadata ?? 'the inferred metadata';
  checkColumnNames(metadata, table, files, where);
  const columns = metadata.columns.map((declared) => {
    const vector = table.getChild(declared.name)!;
    const column = completeFormat(declared, vector);
    if (column.format !== declared.format) {
      log.info('datetime format detected', { column: column.name, format: column.format });
    }
    const problem = checkColumn(column, vector);
    if (problem !== null) {
      throw new InvalidMetadataError(
        `${where}: column "${column.name}" (${column.type}) of ${files.data}: ${problem}`,
      );
    }
    return column;
  });
  if (metadata.target !== undefined && metadata.positiveClass !== undefined) {
    const target = table.getChild(metadata.target)!;
    const found = [...target].some(
      (value) => value !== null && String(value) === metadata.positiveClass,
    );
    if (!found) {
      throw new InvalidMetadataError(
        `${where}: positiveClass ${JSON.stringify(metadata.positiveClass)} never occurs in ` +
          `column "${metadata.target}" of ${files.data}; give one of its values, spelled ` +
          'exactly (Adult writes " >50K" with a leading space).',
      );
    }
  }
  return { ...metadata, columns };
}

/** The column with `format` set from its values when it is text datetime without one. */
function completeFormat(column: ColumnMetadata, vector: arrow.Vector): ColumnMetadata {
  if (column.type !== 'datetime' || column.format !== undefined) return column;
  if (!arrow.DataType.isUtf8(vector.type)) return column;
  const values = new Set<string>();
  for (const value of vector) if (value !== null) values.add(value as string);
  const format = detectDatetimeFormat([...values]);
  return format === null ? column : { ...column, format };
}

function checkColumnNames(
  metadata: TableMetadata,
  table: arrow.Table,
  files: MetadataFiles,
  where: string,
): void {
  const tableNames = table.schema.fields.map((field) => field.name);
  const metadataNames = new Set(metadata.columns.map((column) => column.name));
  const onlyMetadata = metadata.columns
    .map((column) => column.name)
    .filter((name) => !tableNames.includes(name));
  const onlyTable = tableNames.filter((name) => !metadataNames.has(name));
  if (onlyMetadata.length === 0 && onlyTable.length === 0) return;
  const list = (names: string[]): string => names.map((name) => JSON.stringify(name)).join(', ');
  const problems: string[] = [];
  if (onlyMetadata.length > 0)
    problems.push(`it names ${list(onlyMetadata)}, which ${files.data} lacks`);
  if (onlyTable.length > 0) problems.push(`it lacks ${list(onlyTable)}, which ${files.data} has`);
  throw new InvalidMetadataError(
    `${where} does not match the table: ${problems.join('; ')}. List every column of the ` +
      'table once, spelled exactly as in its header.',
  );
}

/** A sentence about the first value the column's declared type rejects, or null. */
function checkColumn(column: ColumnMetadata, vector: arrow.Vector): string | null {
  const type = vector.type as arrow.DataType;
  const isNumber = arrow.DataType.isInt(type) || arrow.DataType.isFloat(type);
  const isTime = arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type);
  const isText = arrow.DataType.isUtf8(type);
  switch (column.type) {
    case 'continuous':
      if (!isNumber)
        return `the values are ${String(type)}, not numbers; type the column categorical.`;
      if (column.integer) {
        const row = firstRow(vector, (value) => !Number.isInteger(value));
        if (row >= 0) {
          return `"integer": true, but row ${row + 1} holds ${vector.get(row)}; remove "integer".`;
        }
      }
      return null;
    case 'boolean': {
      if (arrow.DataType.isBool(type)) return null;
      const row = firstRow(vector, () => true);
      const shown = row >= 0 ? ` (row ${row + 1}: ${JSON.stringify(vector.get(row))})` : '';
      return (
        `the values are ${String(type)}, not booleans${shown}; write them true/false, ` +
        'True/False or TRUE/FALSE, or type the column categorical.'
      );
    }
    case 'ordinal': {
      if (column.order === undefined) return null;
      const levels = new Set(column.order);
      const row = firstRow(vector, (value) => !levels.has(String(value)));
      if (row < 0) return null;
      return (
        `row ${row + 1} holds ${JSON.stringify(String(vector.get(row)))}, which "order" does ` +
        'not list; add it to "order" (spelled exactly) or declare it missing.'
      );
    }
    case 'datetime':
      if (isTime) return null;
      if (!isText) return `the values are ${String(type)}, not dates or datetime text.`;
      return checkDatetimeText(column, vector);
    default:
      return null;
  }
}

function checkDatetimeText(column: ColumnMetadata, vector: arrow.Vector): string | null {
  if (column.format === undefined) {
    const example = JSON.stringify(firstValue(vector));
    return (
      `the values are text (e.g. ${example}) in no format tabsynth recognizes; give ` +
      '"format" in strftime notation, e.g. "%Y-%m-%d %H:%M:%S".'
    );
  }
  const format = column.format;
  const row = firstRow(vector, (value) => parseDatetime(value as string, format) === null);
  if (row < 0) return null;
  return (
    `row ${row + 1} holds ${JSON.stringify(vector.get(row))}, which does not parse with ` +
    `format "${format}"; fix the value, the format, or declare the value missing.`
  );
}

function firstValue(vector: arrow.Vector): unknown {
  for (const value of vector) if (value !== null) return value;
  return null;
}

/** The first row (0-based) whose non-null value fails, or -1. */
function firstRow(vector: arrow.Vector, fails: (value: unknown) => boolean): number {
  let row = 0;
  for (const value of vector) {
    if (value !== null && fails(value)) return row;
    row++;
  }
  return -1;
}
