// Streams record batches to a Parquet file with parquet-wasm's transformParquetStream (the
// Rust parquet crate's ArrowWriter): rows are buffered into row groups of `rowGroupRows` rows
// in WebAssembly memory and each finished row group goes to disk, so memory stays at about
// one row group whatever the total. Strings are dictionary-encoded; the Arrow schema is kept
// in the file's metadata, so field metadata (boolean spellings) survives.
import * as arrow from 'apache-arrow';
import * as parquet from 'parquet-wasm';

import { getLogger } from '../util/logger.ts';
import { AtomicFile } from './atomic-file.ts';
import { conformingBatches, type TableWriter, type WriterOptions } from './writer-common.ts';

const DEFAULT_ROW_GROUP_ROWS = 100_000;
const log = getLogger('io');

/**
 * A one-slot channel between `write` (the producer) and the stream parquet-wasm pulls from
 * (the consumer): a put resolves once the consumer has taken the value, so no more than one
 * batch waits in JavaScript memory.
 */
class Handoff<T> {
  private offered: { value: T; taken: () => void } | null = null;
  private taker: ((value: T | null) => void) | null = null;
  private closed = false;

  put(value: T): Promise<void> {
    return new Promise((taken) => {
      if (this.taker) {
        const taker = this.taker;
        this.taker = null;
        taker(value);
        taken();
      } else {
        this.offered = { value, taken };
      }
    });
  }

  take(): Promise<T | null> {
    if (this.offered) {
      const { value, taken } = this.offered;
      this.offered = null;
      taken();
      return Promise.resolve(value);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.taker = resolve));
  }

  close(): void {
    this.closed = true;
    this.taker?.(null);
    this.taker = null;
  }
}

/** A TableWriter for Parquet; see openTableWriter. */
export class ParquetTableWriter implements TableWriter {
  private rows = 0;
  private failure: unknown = null;
  private readonly handoff = new Handoff<parquet.RecordBatch>();
  private pump: Promise<void> = Promise.resolve();
  private output: ReadableStreamDefaultReader<Uint8Array> | null = null;

  private constructor(
    private readonly file: AtomicFile,
    private readonly schema: arrow.Schema,
  ) {}

  /**
   * Opens the temporary file and starts the encoder.
   * @param path the final path
   * @param schema the columns every batch will have
   * @param options rowGroupRows (default 100,000) and compression (default 'snappy')
   */
  static async open(
    path: string,
    schema: arrow.Schema,
    options: WriterOptions,
  ): Promise<ParquetTableWriter> {
    const file = await AtomicFile.create(path);
    const writer = new ParquetTableWriter(file, schema);
    const codec = {
      snappy: parquet.Compression.SNAPPY,
      zstd: parquet.Compression.ZSTD,
      none: parquet.Compression.UNCOMPRESSED,
    };
    const properties = new parquet.WriterPropertiesBuilder()
      .setMaxRowGroupSize(options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS)
      .setCompression(codec[options.compression ?? 'snappy'])
      .setDictionaryEnabled(true)
      .setCreatedBy('tabsynth')
      .build();
    const handoff = writer.handoff;
    const input = new ReadableStream<parquet.RecordBatch>(
      {
        async pull(controller) {
          const batch = await handoff.take();
          if (batch === null) controller.close();
          else controller.enqueue(batch);
        },
      },
      { highWaterMark: 0 },
    );
    // Not awaited here: the encoder reads the first batch (for its schema) before it returns
    // the output stream, and that batch comes from the first write.
    const output = parquet.transformParquetStream(input, properties) as Promise<
      ReadableStream<Uint8Array>
    >;
    writer.pump = writer.drain(output);
    return writer;
  }

  async write(rows: arrow.RecordBatch | arrow.Table): Promise<void> {
    for (const batch of conformingBatches(rows, this.schema, this.file.finalPath)) {
      if (batch.numRows === 0) continue;
      await this.send(batch);
      this.rows += batch.numRows;
    }
  }

  async close(): Promise<{ bytes: number; rows: number }> {
    // The encoder takes the schema from the first batch, so an empty table still sends one.
    if (this.rows === 0) await this.send(emptyBatch(this.schema));
    this.handoff.close();
    await this.pump;
    if (this.failure !== null) throw this.failure;
    await this.file.commit();
    return { bytes: this.file.bytes, rows: this.rows };
  }

  async abort(): Promise<void> {
    this.failure ??= new Error('the Parquet writer was aborted');
    this.handoff.close();
    try {
      await this.output?.cancel();
    } catch (error) {
      // The file is deleted anyway; the encoder's complaint about being stopped is no news.
      log.debug('Parquet encoder stopped with an error', { error: String(error) });
    }
    await this.file.discard();
  }

  private async send(batch: arrow.RecordBatch): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const table = parquet.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table([batch]), 'stream'));
    const wasmBatch = table.recordBatch(0)!;
    table.free();
    // Waits until the encoder has taken the batch, or fails with the encoder's error.
    await Promise.race([this.handoff.put(wasmBatch), this.pump.then(() => this.throwIfFailed())]);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Writes the encoder's output to the file until it ends or fails. */
  private async drain(output: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    try {
      this.output = (await output).getReader();
      for (;;) {
        const { done, value } = await this.output!.read();
        if (done) return;
        await this.file.write(value);
      }
    } catch (error) {
      this.failure ??= new Error(
        `Parquet encoding of ${this.file.finalPath} failed: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

/** A batch of no rows with every column of `schema`. */
function emptyBatch(schema: arrow.Schema): arrow.RecordBatch {
  const children = schema.fields.map((field) => arrow.vectorFromArray([], field.type).data[0]!);
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: 0,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}
