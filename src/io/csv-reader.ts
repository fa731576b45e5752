// Streams a CSV (or TSV) file through papaparse into an Arrow table: RFC 4180 quoting, UTF-8
// with or without a byte order mark, LF or CRLF. Memory follows the distinct values of each
// column and the kept rows, not the file size (see text-table.ts).
import { createReadStream } from 'node:fs';

import type * as arrow from 'apache-arrow';
import Papa from 'papaparse';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { TextTableBuilder } from './text-table.ts';

/** Options of readCsv. */
export interface CsvReadOptions {
  /** ',' for CSV, '\t' for TSV. */
  delimiter: ',' | '\t';
  metadata?: TableMetadata;
  /** Keep a seeded uniform sample of at most this many rows; null keeps all. */
  maxRows: number | null;
  seed: number;
}

/**
 * Reads a delimited text file with a header row into an Arrow table.
 * @param file path of the file (checked to exist and be non-empty by the caller)
 * @param options delimiter, metadata (declared types, missing values), sampling
 * @returns the table, rows in file order
 * @throws InvalidDataError for a missing header, duplicated or empty column names, rows
 *   with the wrong number of fields, malformed quotes, and values the column's type rejects
 */
export function readCsv(file: string, options: CsvReadOptions): Promise<arrow.Table> {
  const state = new CsvState(file, options);
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, { encoding: 'utf8' });
    Papa.parse<string[]>(stream, {
      delimiter: options.delimiter,
      quoteChar: '"',
      escapeChar: '"',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunk(results, parser) {
        try {
          state.takeChunk(results.data, results.errors);
        } catch (error) {
          state.failure = error;
          parser.abort();
          stream.destroy();
        }
      },
      complete() {
        if (state.failure !== null) reject(state.failure);
        else {
          try {
            resolve(state.finish());
          } catch (error) {
            reject(error);
          }
        }
      },
      error(error) {
        reject(
          new InvalidDataError(`${file}: cannot be read (${error.message}).`, { cause: error }),
        );
      },
    });
  });
}

/** The reader's position and the table it builds. */
class CsvState {
  failure: unknown = null;
  private builder: TextTableBuilder | null = null;
  private width = 0;
  /** The line the next record starts on; the header is line 1. */
  private line = 1;

  constructor(
    private readonly file: string,
    private readonly options: CsvReadOptions,
  ) {}

  takeChunk(rows: string[][], errors: Papa.ParseError[]): void {
    const errorRows = new Map<number, Papa.ParseError>();
    for (const error of errors) {
      if (error.row !== undefined && !errorRows.has(error.row)) errorRows.set(error.row, error);
    }
    for (let i = 0; i < rows.length; i++) {
      const parseError = errorRows.get(i);
      if (parseError) throw this.quoteError(parseError);
      const row = rows[i]!;
      if (this.builder === null) {
        this.takeHeader(row);
        continue;
      }
      // A blank line separates nothing in a table of several columns and is skipped; in a
      // one-column table it is a null cell, as the CSV writer writes it.
      if (row.length === 1 && row[0] === '' && this.width > 1) {
        this.line++;
        continue;
      }
      if (row.length !== this.width) throw this.raggedError(row.length);
      this.line += 1 + this.builder.addTextRow(row, this.line);
    }
  }

  finish(): arrow.Table {
    if (this.builder === null) {
      throw new InvalidDataError(
        `${this.file}: no header row; the first line must name the columns.`,
      );
    }
    return this.builder.finish();
  }

  private takeHeader(row: string[]): void {
    const names = row.slice();
    if (names[0]!.charCodeAt(0) === 0xfeff) names[0] = names[0]!.slice(1);
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (name === '') {
        throw new InvalidDataError(
          `${this.file}: line 1: column ${index + 1} has an empty name; every column of the ` +
            'header needs a name.',
        );
      }
      if (seen.has(name)) {
        throw new InvalidDataError(
          `${this.file}: line 1: column name "${name}" appears twice in the header; ` +
            'column names must be unique.',
        );
      }
      seen.add(name);
    });
    this.width = names.length;
    this.builder = new TextTableBuilder({
      file: this.file,
      unit: 'line',
      names,
      metadata: this.options.metadata,
      maxRows: this.options.maxRows,
      seed: this.options.seed,
    });
    for (const name of names) this.line += name.split('\n').length - 1;
    this.line++;
  }

  private raggedError(fields: number): InvalidDataError {
    const delimiter = this.options.delimiter === ',' ? '","' : 'tab';
    return new InvalidDataError(
      `${this.file}: line ${this.line} has ${fields} field${fields === 1 ? '' : 's'} but the ` +
        `header has ${this.width}; every row needs one value per column (quote values that ` +
        `contain the delimiter ${delimiter} or a line break).`,
    );
  }

  private quoteError(error: Papa.ParseError): InvalidDataError {
    return new InvalidDataError(
      `${this.file}: line ${this.line}: malformed quotes (${error.message.toLowerCase()}); ` +
        'a quoted value must end with a quote followed by the delimiter or the end of the ' +
        'line, and quotes inside it are doubled ("").',
    );
  }
}
