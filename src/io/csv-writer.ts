// Streams record batches to a CSV (or TSV) file: a header once, RFC 4180 quoting, LF line
// ends, null as an empty cell, booleans in the column's recorded spelling.
import * as arrow from 'apache-arrow';

import { formatDatetime } from '../schema/datetime.ts';
import { AtomicFile } from './atomic-file.ts';
import { booleanSpellingOf, spellBoolean } from './boolean-spelling.ts';
import {
  conformingBatches,
  DATETIME_FORMAT_KEY,
  type TableWriter,
  type WriterOptions,
} from './writer-common.ts';

/** Rows turned into one string before it is written; bounds the memory of a write. */
const ROWS_PER_WRITE = 8192;
const DEFAULT_DATETIME_FORMAT = '%Y-%m-%d %H:%M:%S.%3f';

type CellWriter = (vector: arrow.Vector, row: number) => string;

/** A TableWriter for CSV; see openTableWriter. */
export class CsvTableWriter implements TableWriter {
  private rows = 0;
  private readonly cells: CellWriter[];
  private readonly quotable: RegExp;

  private constructor(
    private readonly file: AtomicFile,
    private readonly schema: arrow.Schema,
    private readonly delimiter: string,
    datetimeFormat: string,
  ) {
    this.quotable = delimiter === ',' ? /[",\r\n]/ : /["\t\r\n]/;
    this.cells = schema.fields.map((field) => this.cellWriter(field, datetimeFormat));
  }

  /**
   * Opens the temporary file and writes the header.
   * @param path the final path
   * @param schema the columns every batch will have
   * @param options delimiter and datetimeFormat
   */
  static async open(
    path: string,
    schema: arrow.Schema,
    options: WriterOptions,
  ): Promise<CsvTableWriter> {
    const delimiter = options.delimiter ?? (path.toLowerCase().endsWith('.tsv') ? '\t' : ',');
    const file = await AtomicFile.create(path);
    const writer = new CsvTableWriter(
      file,
      schema,
      delimiter,
      options.datetimeFormat ?? DEFAULT_DATETIME_FORMAT,
    );
    const header = schema.fields.map((field) => writer.quote(field.name)).join(delimiter);
    await file.write(Buffer.from(`${header}\n`, 'utf8'));
    return writer;
  }

  async write(rows: arrow.RecordBatch | arrow.Table): Promise<void> {
    for (const batch of conformingBatches(rows, this.schema, this.file.finalPath)) {
      const columns = this.schema.fields.map((_, index) => batch.getChildAt(index)!);
      const texts = columns.map((vector) => asciiStrings(vector));
      for (let start = 0; start < batch.numRows; start += ROWS_PER_WRITE) {
        const end = Math.min(batch.numRows, start + ROWS_PER_WRITE);
        let text = '';
        for (let row = start; row < end; row++) {
          for (let c = 0; c < columns.length; c++) {
            if (c > 0) text += this.delimiter;
            const vector = columns[c]!;
            if (!vector.isValid(row)) continue;
            const strings = texts[c];
            text += strings ? this.quote(strings(row)) : this.cells[c]!(vector, row);
          }
          text += '\n';
        }
        await this.file.write(Buffer.from(text, 'utf8'));
      }
      this.rows += batch.numRows;
    }
  }

  async close(): Promise<{ bytes: number; rows: number }> {
    await this.file.commit();
    return { bytes: this.file.bytes, rows: this.rows };
  }

  async abort(): Promise<void> {
    await this.file.discard();
  }

  private quote(text: string): string {
    if (text === '') return '""';
    return this.quotable.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }

  private cellWriter(field: arrow.Field, datetimeFormat: string): CellWriter {
    const type = field.type as arrow.DataType;
    if (arrow.DataType.isBool(type)) {
      const spelling = booleanSpellingOf(field);
      const [whenTrue, whenFalse] = [spellBoolean(true, spelling), spellBoolean(false, spelling)];
      return (vector, row) => (vector.get(row) ? whenTrue : whenFalse);
    }
    if (arrow.DataType.isTimestamp(type)) {
      const format = field.metadata.get(DATETIME_FORMAT_KEY) ?? datetimeFormat;
      return (vector, row) => this.quote(formatDatetime(vector.get(row) as number, format));
    }
    if (arrow.DataType.isDate(type)) {
      const format = field.metadata.get(DATETIME_FORMAT_KEY) ?? '%Y-%m-%d';
      return (vector, row) => this.quote(formatDatetime(vector.get(row) as number, format));
    }
    if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
      return (vector, row) => String(vector.get(row));
    }
    return (vector, row) => this.quote(String(vector.get(row)));
  }
}

/**
 * For a Utf8 column whose bytes are all ASCII, a function giving row i's string by slicing
 * one decoded string, several times faster than decoding each value; null otherwise.
 */
function asciiStrings(vector: arrow.Vector): ((row: number) => string) | null {
  if (!arrow.DataType.isUtf8(vector.type) || vector.data.length !== 1) return null;
  const data = vector.data[0]!;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const first = offsets[0]!;
  const last = offsets[data.length]!;
  for (let i = first; i < last; i++) if (bytes[i]! >= 0x80) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + first, last - first).toString('latin1');
  return (row) => text.slice(offsets[row]! - first, offsets[row + 1]! - first);
}
