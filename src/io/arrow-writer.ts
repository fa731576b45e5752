// Streams record batches to an Arrow IPC file (.arrow, .feather, .ipc) or IPC stream
// (.arrows) with apache-arrow's writers, passing each batch's bytes to disk as it is written.
import * as arrow from 'apache-arrow';

import { AtomicFile } from './atomic-file.ts';
import { conformingBatches, type TableWriter, type WriterOptions } from './writer-common.ts';

/**
 * Collects the bytes apache-arrow's writer produces, so they can be written to disk before
 * the next batch (its default sink would keep them until someone reads them).
 */
class ByteCollector extends arrow.AsyncByteQueue {
  chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }

  take(): Uint8Array[] {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks;
  }
}

/** A TableWriter for Arrow IPC; see openTableWriter. */
export class ArrowTableWriter implements TableWriter {
  private rows = 0;

  private constructor(
    private readonly file: AtomicFile,
    private readonly schema: arrow.Schema,
    private readonly writer: arrow.RecordBatchWriter,
    private readonly sink: ByteCollector,
  ) {}

  /**
   * Opens the temporary file; the schema is written with the first batch (or on close).
   * @param path the final path
   * @param schema the columns every batch will have
   * @param options ipcStream (default: true when the path ends in .arrows)
   */
  static async open(
    path: string,
    schema: arrow.Schema,
    options: WriterOptions,
  ): Promise<ArrowTableWriter> {
    const stream = options.ipcStream ?? path.toLowerCase().endsWith('.arrows');
    const writer = stream ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
    const sink = new ByteCollector();
    writer.reset(sink, schema);
    const file = await AtomicFile.create(path);
    return new ArrowTableWriter(file, schema, writer, sink);
  }

  async write(rows: arrow.RecordBatch | arrow.Table): Promise<void> {
    for (const batch of conformingBatches(rows, this.schema, this.file.finalPath)) {
      this.writer.write(batch);
      this.rows += batch.numRows;
      await this.flush();
    }
  }

  async close(): Promise<{ bytes: number; rows: number }> {
    // finish() writes the end-of-stream marker (and the footer of the file layout) into the
    // sink without closing it.
    this.writer.finish();
    await this.flush();
    await this.file.commit();
    return { bytes: this.file.bytes, rows: this.rows };
  }

  async abort(): Promise<void> {
    this.sink.take();
    await this.file.discard();
  }

  private async flush(): Promise<void> {
    for (const chunk of this.sink.take()) await this.file.write(chunk);
  }
}
