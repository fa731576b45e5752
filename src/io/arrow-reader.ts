// Reads Arrow IPC files (.arrow, .feather v2, .ipc) and IPC streams (.arrows), batch by
// batch. The layout is told by the file's first bytes, not by its extension.
import { createReadStream, promises as fs } from 'node:fs';

import * as arrow from 'apache-arrow';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { collectBatches } from './typed-table.ts';

/** Options of readArrow. */
export interface ArrowReadOptions {
  metadata?: TableMetadata;
  maxRows: number | null;
  seed: number;
}

/** The layouts an Arrow file can have, told apart by the first bytes. */
export type IpcLayout = 'file' | 'stream' | 'feather-v1' | 'unknown';

/**
 * Reads an Arrow IPC file or stream into a tabsynth table (types normalized as described
 * in docs/io.md).
 * @param file path of the file
 * @param options metadata and sampling
 * @returns the table
 * @throws InvalidDataError for Feather v1 files, damaged files, and the value and column
 *   errors of collectBatches
 */
export async function readArrow(file: string, options: ArrowReadOptions): Promise<arrow.Table> {
  const layout = await ipcLayoutOf(file);
  if (layout === 'feather-v1') {
    throw new InvalidDataError(
      `${file}: a Feather version 1 file, which tabsynth cannot read; write it again as ` +
        'Feather version 2 (Arrow IPC), Parquet or CSV.',
    );
  }
  if (layout === 'unknown') {
    throw new InvalidDataError(
      `${file}: not an Arrow IPC file or stream (the first bytes are neither "ARROW1" nor a ` +
        'stream message); check that the file is complete and really Arrow.',
    );
  }
  const handle = layout === 'file' ? await fs.open(file) : null;
  try {
    const reader = handle
      ? await arrow.RecordBatchReader.from(handle)
      : await arrow.RecordBatchReader.from(createReadStream(file));
    return await collectBatches(guard(reader, file), { file, ...options });
  } finally {
    await handle?.close();
  }
}

/**
 * Tells an Arrow IPC file from a stream by its first bytes.
 * @param file path of the file
 * @returns 'file' ("ARROW1" magic), 'stream' (a continuation marker or a message length),
 *   'feather-v1' ("FEA1"), or 'unknown'
 */
export async function ipcLayoutOf(file: string): Promise<IpcLayout> {
  const handle = await fs.open(file);
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead >= 6 && head.toString('latin1', 0, 6) === 'ARROW1') return 'file';
    if (bytesRead >= 4 && head.toString('latin1', 0, 4) === 'FEA1') return 'feather-v1';
    // Streams begin with the 0xFFFFFFFF continuation marker (Arrow >= 0.15) or, in the older
    // layout, directly with the positive length of the schema message.
    if (bytesRead >= 8 && head.readUInt32LE(0) === 0xffffffff) return 'stream';
    if (bytesRead >= 4 && head.readInt32LE(0) > 0 && head.readInt32LE(0) < 1 << 24) return 'stream';
    return 'unknown';
  } finally {
    await handle.close();
  }
}

/** Passes batches on, turning the reader's own failures into InvalidDataError. */
async function* guard(
  reader: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  file: string,
): AsyncGenerator<arrow.RecordBatch> {
  const iterator = (
    Symbol.asyncIterator in reader ? reader[Symbol.asyncIterator]() : reader[Symbol.iterator]()
  ) as AsyncIterator<arrow.RecordBatch> | Iterator<arrow.RecordBatch>;
  for (;;) {
    let step: IteratorResult<arrow.RecordBatch>;
    try {
      step = await iterator.next();
    } catch (error) {
      throw new InvalidDataError(
        `${file}: the Arrow data is damaged or cut short (${(error as Error).message}); ` +
          'write the file again.',
        { cause: error },
      );
    }
    if (step.done) return;
    yield step.value;
  }
}
