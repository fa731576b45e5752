// What every table writer shares: the TableWriter interface, its options, and the check
// that each written batch has the schema the writer was opened with.
import * as arrow from 'apache-arrow';

/** A file format tabsynth writes. */
export type WriteFormat = 'parquet' | 'csv' | 'arrow';

/** Options of openTableWriter; each applies to the formats named. */
export interface WriterOptions {
  /** parquet: rows per row group; memory holds about one row group. Default 100,000. */
  rowGroupRows?: number;
  /** parquet: compression codec. Default 'snappy' (readable by every Parquet reader). */
  compression?: 'snappy' | 'zstd' | 'none';
  /** arrow: write the IPC stream layout instead of the file layout. Default: true for .arrows. */
  ipcStream?: boolean;
  /** csv: the delimiter. Default ',' (and '\t' for a .tsv path). */
  delimiter?: ',' | '\t';
  /**
   * csv: strftime format of Timestamp columns without a `tabsynth.datetimeFormat` field
   * metadata entry. Default '%Y-%m-%d %H:%M:%S.%3f' (lossless to the millisecond).
   */
  datetimeFormat?: string;
}

/** A file being written batch by batch; nothing appears at its path before close(). */
export interface TableWriter {
  /** Appends rows; a Table is written batch by batch. Resolves when they are handed on. */
  write(rows: arrow.RecordBatch | arrow.Table): Promise<void>;
  /** Finishes the file and renames it to its path. Resolves to its size and row count. */
  close(): Promise<{ bytes: number; rows: number }>;
  /** Stops and deletes the temporary file; the final path is left as it was. */
  abort(): Promise<void>;
}

/** Field-metadata key: the strftime format the CSV writer uses for a Timestamp column. */
export const DATETIME_FORMAT_KEY = 'tabsynth.datetimeFormat';

/**
 * The batches of `rows`, each carrying exactly `schema` (field metadata included), after
 * checking that names and types match.
 * @param rows a batch or a table
 * @param schema the writer's schema
 * @param file the output, for the error message
 * @returns batches ready to write
 * @throws Error (internal) when the columns differ from the schema
 */
export function conformingBatches(
  rows: arrow.RecordBatch | arrow.Table,
  schema: arrow.Schema,
  file: string,
): arrow.RecordBatch[] {
  const batches = rows instanceof arrow.Table ? rows.batches : [rows];
  return batches.map((batch) => {
    const actual = batch.schema.fields.map((field) => `${field.name}: ${field.type}`).join(', ');
    const expected = schema.fields.map((field) => `${field.name}: ${field.type}`).join(', ');
    if (actual !== expected) {
      throw new Error(`${file}: batch columns [${actual}] differ from the writer's [${expected}]`);
    }
    return batch.schema === schema ? batch : new arrow.RecordBatch(schema, batch.data);
  });
}
