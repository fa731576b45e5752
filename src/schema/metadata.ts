// The metadata types: what each column of a table is and how it is to be learned. Loading,
// validation and inference live beside this file; this one holds only the shared types.

/**
 * How a column is learned.
 * - continuous: a number, learned with mode-specific normalization
 * - categorical: a discrete value with no order, learned one-hot
 * - ordinal: a discrete value whose levels have an order (`order`), learned one-hot
 * - boolean: true/false, learned one-hot
 * - datetime: a point in time, learned as a number and written back in `format`
 * - id: an identifier; not learned, generated rows get fresh unique values
 */
export type ColumnType = 'continuous' | 'categorical' | 'ordinal' | 'boolean' | 'datetime' | 'id';

/** All column types, in the order the docs list them. */
export const COLUMN_TYPES: readonly ColumnType[] = [
  'continuous',
  'categorical',
  'ordinal',
  'boolean',
  'datetime',
  'id',
];

/** Column types learned one-hot, and so usable as conditions. */
export const DISCRETE_TYPES: readonly ColumnType[] = ['categorical', 'ordinal', 'boolean'];

/** What tabsynth knows about one column. Field names are the keys of the metadata JSON. */
export interface ColumnMetadata {
  /** The column's name in the table, byte for byte. */
  name: string;
  type: ColumnType;
  /**
   * ordinal only: the levels from lowest to highest, spelled as in the file. Levels seen in
   * the data but missing here are an error. Default: the order of first appearance.
   */
  order?: string[];
  /**
   * datetime only: the text format of the values, in strftime notation
   * (`%Y-%m-%d %H:%M:%S`), so generated values are written the same way. Absent for
   * columns that are timestamps in the file itself (Parquet, Arrow).
   */
  format?: string;
  /** Strings that mean "missing" in this column (Adult writes `" ?"`). Default: none. */
  missingValues?: string[];
  /**
   * continuous only: whether values are whole numbers, so generated values are rounded.
   * Default: inferred from the data.
   */
  integer?: boolean;
  /**
   * continuous and datetime: allow generated values outside the observed [min, max].
   * Default: false (values are clipped to the observed range).
   */
  extrapolate?: boolean;
}

/** The metadata of a table: its columns in table order, plus optional evaluation hints. */
export interface TableMetadata {
  columns: ColumnMetadata[];
  /** A column to predict when scoring usefulness (`tabsynth evaluate`). */
  target?: string;
  /** The positive class of `target`, for F1 and AUC. */
  positiveClass?: string;
}
