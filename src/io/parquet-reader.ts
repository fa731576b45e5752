// Reads Parquet files with parquet-wasm (the Rust parquet crate compiled to WebAssembly,
// every codec included), streaming record batches from the file without loading it whole.
import { openAsBlob } from 'node:fs';

import * as arrow from 'apache-arrow';
import * as parquet from 'parquet-wasm';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { collectBatches } from './typed-table.ts';

/** Options of readParquet. */
export interface ParquetReadOptions {
  metadata?: TableMetadata;
  maxRows: number | null;
  seed: number;
}

/** Rows per batch decoded at a time; memory while reading is a few batches. */
const BATCH_ROWS = 65_536;

/**
 * Reads a Parquet file into a tabsynth table (types normalized as described in docs/io.md).
 * @param file path of the file
 * @param options metadata and sampling
 * @returns the table
 * @throws InvalidDataError for files that are not Parquet or are cut short, and the value
 *   and column errors of collectBatches
 */
export async function readParquet(file: string, options: ParquetReadOptions): Promise<arrow.Table> {
  let source: parquet.ParquetFile;
  try {
    source = await parquet.ParquetFile.fromFile(await openAsBlob(file));
  } catch (error) {
    throw damaged(file, error);
  }
  try {
    return await collectBatches(batchesOf(source, file), { file, ...options });
  } finally {
    source.free();
  }
}

async function* batchesOf(
  source: parquet.ParquetFile,
  file: string,
): AsyncGenerator<arrow.RecordBatch> {
  let stream: ReadableStream<parquet.RecordBatch>;
  try {
    stream = (await source.stream({
      batchSize: BATCH_ROWS,
    })) as ReadableStream<parquet.RecordBatch>;
  } catch (error) {
    throw damaged(file, error);
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await reader.read();
      } catch (error) {
        throw damaged(file, error);
      }
      if (step.done) return;
      // The batch lives in WebAssembly memory; IPC bytes copy it into JavaScript and
      // intoIPCStream frees the WebAssembly side.
      yield* arrow.tableFromIPC(step.value.intoIPCStream()).batches;
    }
  } finally {
    reader.releaseLock();
  }
}

function damaged(file: string, error: unknown): InvalidDataError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InvalidDataError(
    `${file}: not a readable Parquet file (${reason}); the file may be cut short or not be ` +
      'Parquet at all. Write it again or check its extension.',
    { cause: error },
  );
}
