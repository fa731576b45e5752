// Infers metadata from a table read without it. The rules, in order, are documented for
// users in docs/metadata.md; the result is meant to be saved, read and edited.
import * as arrow from 'apache-arrow';

import { detectDatetimeFormat } from './datetime-detect.ts';
import type { ColumnMetadata, TableMetadata } from './metadata.ts';

/** Names that mark an identifier: id, uuid, guid, key, alone or after a separator. */
const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key)$/i;
/** All-unique text is an id only from this many rows; fewer unique strings are categories. */
const MIN_ID_ROWS = 20;

/**
 * Infers each column's type from its Arrow type and values, first rule that applies:
 * Bool -> boolean; Timestamp and Date -> datetime; text whose every value matches one
 * datetime format -> datetime with that `format`; a column with a unique value in every row
 * whose name says id/uuid/guid/key, or unique text in every row of at least 20 rows -> id;
 * numbers -> continuous (with `integer` when every value is whole); other text -> categorical.
 * @param table the table as readTable returned it
 * @returns the metadata, columns in table order
 */
export function inferMetadata(table: arrow.Table): TableMetadata {
  return {
    columns: table.schema.fields.map((field) => inferColumn(field, table.getChild(field.name)!)),
  };
}

function inferColumn(field: arrow.Field, vector: arrow.Vector): ColumnMetadata {
  const name = field.name;
  const type = field.type as arrow.DataType;
  if (arrow.DataType.isBool(type)) return { name, type: 'boolean' };
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type))
    return { name, type: 'datetime' };

  const isNumber = arrow.DataType.isInt(type) || arrow.DataType.isFloat(type);
  if (!isNumber) {
    const distinct = new Set<string>();
    for (const value of vector) if (value !== null) distinct.add(value as string);
    const format = detectDatetimeFormat([...distinct]);
    if (format !== null) return { name, type: 'datetime', format };
  }
  const unique = isUniqueInEveryRow(vector);
  if (unique && (ID_NAME.test(name) || (!isNumber && vector.length >= MIN_ID_ROWS))) {
    return { name, type: 'id' };
  }
  if (isNumber) {
    let integer = true;
    for (const value of vector) {
      if (value !== null && !Number.isInteger(value)) {
        integer = false;
        break;
      }
    }
    return { name, type: 'continuous', integer };
  }
  return { name, type: 'categorical' };
}

function isUniqueInEveryRow(vector: arrow.Vector): boolean {
  if (vector.nullCount > 0) return false;
  const seen = new Set<unknown>();
  for (const value of vector) {
    if (seen.has(value)) return false;
    seen.add(value);
  }
  return true;
}
