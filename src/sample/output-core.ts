// The output end of sampling: decodes pieces of candidates in order, keeps the rows that pass
// --where, and streams them to the table writer until the wanted number of rows is written.
// The same class runs on the main thread or in the writer worker (output-stage.ts).
import { openTableWriter, type TableWriter, type WriteFormat } from '../io/table-writer.ts';
import { TableTransformer } from '../transform/table-transformer.ts';
import { UsageError } from '../util/errors.ts';
import type { ActivatedRows, CategoryCheck } from './row-activation.ts';
import { RowDecoder } from './row-decoder.ts';

/** When a --where run gives up: after `minCandidates` candidates, below `minRate` accepted. */
export interface AcceptanceLimit {
  minCandidates: number;
  minRate: number;
}

/** Everything the output end needs; plain data, so that it can be sent to a worker. */
export interface OutputSetup {
  /** TableTransformer.toJSON() of the model's transformer. */
  transformer: unknown;
  out: string;
  format: WriteFormat;
  /** The --where clauses (for messages; the generation side applies them). */
  checks: CategoryCheck[];
  /** Rows to write. */
  rows: number;
  /** Id of the first written row (the shard's first global row). */
  idStart: number;
  /** Set for --where runs. */
  acceptance: AcceptanceLimit | null;
}

/** Counts and timings of the output end. */
export interface OutputCounters {
  written: number;
  candidates: number;
  /** Seconds in the inverse transform (and moving accepted rows together). */
  decodeSeconds: number;
  /** Seconds handing rows to the writer (Arrow to Parquet/CSV/IPC encoding and disk). */
  writeSeconds: number;
}

/** Decodes and writes; see the file header. */
export class OutputCore {
  readonly counters: OutputCounters = {
    written: 0,
    candidates: 0,
    decodeSeconds: 0,
    writeSeconds: 0,
  };

  private constructor(
    private readonly setup: OutputSetup,
    private readonly decoder: RowDecoder,
    private readonly writer: TableWriter,
  ) {}

  /**
   * Builds the decoder and opens the output file (under a temporary name until close).
   * @throws UsageError when the output directory is missing or not writable
   */
  static async open(setup: OutputSetup): Promise<OutputCore> {
    const transformer = TableTransformer.fromJSON(setup.transformer);
    const decoder = new RowDecoder(transformer);
    const writer = await openTableWriter(setup.out, setup.format, decoder.schema());
    return new OutputCore(setup, decoder, writer);
  }

  /** True once every wanted row is written. */
  get done(): boolean {
    return this.counters.written >= this.setup.rows;
  }

  /**
   * Decodes a piece of candidates and writes the rows that passed, up to the wanted total;
   * pieces after that are ignored.
   * @param rows the activated candidates
   * @throws UsageError when --where accepts too few candidates to finish (AcceptanceLimit)
   */
  async consume(rows: ActivatedRows): Promise<void> {
    if (this.done) return;
    const counters = this.counters;
    const started = performance.now();
    const idStart = this.setup.idStart + counters.written;
    const wanted = this.setup.rows - counters.written;
    const decoded = this.decoder.decode(rows, idStart, wanted);
    const decodedAt = performance.now();
    counters.candidates += decoded.examined;
    counters.decodeSeconds += (decodedAt - started) / 1000;

    if (decoded.accepted > 0) await this.writer.write(decoded.table);
    counters.written += decoded.accepted;
    counters.writeSeconds += (performance.now() - decodedAt) / 1000;
    this.checkAcceptance();
  }

  /** Finishes the file and renames it into place. */
  async close(): Promise<{ bytes: number; rows: number }> {
    const started = performance.now();
    const result = await this.writer.close();
    this.counters.writeSeconds += (performance.now() - started) / 1000;
    return result;
  }

  /** Deletes the unfinished file; the final path keeps what it had. */
  async abort(): Promise<void> {
    await this.writer.abort();
  }

  private checkAcceptance(): void {
    const limit = this.setup.acceptance;
    const { candidates, written } = this.counters;
    if (limit === null || this.done || candidates < limit.minCandidates) return;
    const rate = written / candidates;
    if (rate >= limit.minRate) return;
    const clauses = this.setup.checks.map((check) => `${check.column}=${check.value}`);
    throw new UsageError(
      `--where ${clauses.join(' --where ')}: only ${written} of ${candidates} generated rows ` +
        `(${formatRate(rate)}) satisfy the clauses, below the ${formatRate(limit.minRate)} ` +
        `needed to write ${this.setup.rows} rows in reasonable time. The model rarely ` +
        'produces this combination: drop a clause or choose more frequent values.',
    );
  }
}

/** A rate as a percentage with two significant digits, e.g. '0.0031 %'. */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(2))} %`;
}
