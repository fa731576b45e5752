// Opens a streaming table writer for Parquet, CSV or Arrow IPC. Every writer writes to a
// temporary file beside the target and renames it into place on close (see atomic-file.ts).
import type * as arrow from 'apache-arrow';

import { ArrowTableWriter } from './arrow-writer.ts';
import { CsvTableWriter } from './csv-writer.ts';
import { ParquetTableWriter } from './parquet-writer.ts';
import type { TableWriter, WriteFormat, WriterOptions } from './writer-common.ts';

export type { TableWriter, WriteFormat, WriterOptions } from './writer-common.ts';
export { DATETIME_FORMAT_KEY } from './writer-common.ts';

/**
 * Opens a writer that streams record batches to `path` in `format`; memory stays bounded
 * however many rows are written. Nothing exists at `path` until close() resolves; abort()
 * (or a crash) leaves `path` as it was.
 * @param path the output file; its directory must exist
 * @param format 'parquet' (row groups of options.rowGroupRows, dictionary-encoded strings,
 *   snappy), 'csv' (RFC 4180, booleans in each field's recorded spelling) or 'arrow' (IPC
 *   file, or IPC stream for .arrows)
 * @param schema the columns of every batch written (names and types must match)
 * @param options per-format options, see WriterOptions
 * @returns the writer
 * @throws UsageError when the output directory does not exist or cannot be written
 */
export async function openTableWriter(
  path: string,
  format: WriteFormat,
  schema: arrow.Schema,
  options: WriterOptions = {},
): Promise<TableWriter> {
  switch (format) {
    case 'parquet':
      return ParquetTableWriter.open(path, schema, options);
    case 'csv':
      return CsvTableWriter.open(path, schema, options);
    case 'arrow':
      return ArrowTableWriter.open(path, schema, options);
  }
}
