// Where the output end (OutputCore: inverse transform and writing) runs: on the main thread,
// or in a writer worker that receives the activated candidates (their buffers moved, not
// copied) and decodes and encodes in parallel with the generator.
import { readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';

import { getLogger } from '../util/logger.ts';
import { OutputCore, type OutputCounters, type OutputSetup } from './output-core.ts';
import { transferList, type ActivatedRows } from './row-activation.ts';
import { fromErrorMessage, startWorker, type ErrorMessage } from './worker-channel.ts';

const log = getLogger('sample');

/** Pieces a writer worker may hold before `consume` waits: one decoding, one queued. */
const WORKER_PIECES = 2;

/** The output end as the sampling loop sees it. */
export interface OutputStage {
  /** True once every wanted row is written (as far as this thread knows). */
  readonly done: boolean;
  /** The latest counters (a writer worker's lag by the pieces it holds). */
  readonly counters: OutputCounters;
  /** Hands over the next piece of candidates; resolves when the next piece may come. */
  consume(rows: ActivatedRows): Promise<void>;
  /** Writes what is left and renames the file into place. */
  finish(): Promise<{ bytes: number; rows: number; counters: OutputCounters }>;
  /** Stops and deletes the unfinished file. Safe to call after a failure. */
  abort(): Promise<void>;
}

/** Messages to the writer worker. */
export type OutputRequest =
  { type: 'piece'; rows: ActivatedRows } | { type: 'close' } | { type: 'abort' };

/** Messages from the writer worker. */
export type OutputReply =
  | { type: 'ready' }
  | { type: 'consumed'; counters: OutputCounters }
  | { type: 'closed'; bytes: number; rows: number; counters: OutputCounters }
  | { type: 'aborted' }
  | { type: 'error'; error: ErrorMessage };

/**
 * Opens the output end on this thread or in a worker.
 * @param setup what to write (see OutputSetup)
 * @param inWorker run it in a writer worker
 * @throws what OutputCore.open throws (a missing output directory: UsageError)
 */
export async function openOutputStage(setup: OutputSetup, inWorker: boolean): Promise<OutputStage> {
  if (!inWorker) return new LocalOutput(await OutputCore.open(setup));
  return WorkerOutput.start(setup);
}

/** OutputCore on the calling thread. */
class LocalOutput implements OutputStage {
  constructor(private readonly core: OutputCore) {}

  get done(): boolean {
    return this.core.done;
  }

  get counters(): OutputCounters {
    return this.core.counters;
  }

  consume(rows: ActivatedRows): Promise<void> {
    return this.core.consume(rows);
  }

  async finish(): Promise<{ bytes: number; rows: number; counters: OutputCounters }> {
    const { bytes, rows } = await this.core.close();
    return { bytes, rows, counters: this.core.counters };
  }

  abort(): Promise<void> {
    return this.core.abort();
  }
}

/** OutputCore in a worker thread (output-worker.ts). */
class WorkerOutput implements OutputStage {
  counters: OutputCounters = { written: 0, candidates: 0, decodeSeconds: 0, writeSeconds: 0 };
  private held = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private final: ((reply: OutputReply) => void) | null = null;
  private exited = false;
  private readonly removeLeftovers: () => void;

  private constructor(
    private readonly worker: Worker,
    private readonly setup: OutputSetup,
  ) {
    // A second signal ends the process at once, without the worker's exit hooks: remove the
    // worker's temporary file (io/atomic-file.ts names it .<name>.tmp-<pid>-<n>) from here.
    this.removeLeftovers = () => removeTemporaries(setup.out);
    process.on('exit', this.removeLeftovers);
  }

  /** Starts the worker and waits until it has opened the output file. */
  static async start(setup: OutputSetup): Promise<WorkerOutput> {
    const worker = startWorker(new URL('./output-worker.ts', import.meta.url), setup);
    const output = new WorkerOutput(worker, setup);
    const ready = new Promise<void>((resolve, reject) => {
      output.final = (reply) => {
        if (reply.type === 'ready') resolve();
        else reject(output.failure ?? new Error(`writer thread: unexpected ${reply.type}`));
      };
    });
    worker.on('message', (reply: OutputReply) => output.receive(reply));
    worker.on('error', (error) => output.fail(error));
    worker.on('exit', (code) => {
      output.exited = true;
      output.fail(new Error(`the writer thread exited with code ${code}`));
    });
    try {
      await ready;
    } catch (error) {
      await output.stop();
      throw error;
    }
    return output;
  }

  get done(): boolean {
    return this.counters.written >= this.setup.rows;
  }

  async consume(rows: ActivatedRows): Promise<void> {
    this.throwIfFailed();
    const request: OutputRequest = { type: 'piece', rows };
    this.worker.postMessage(request, transferList(rows));
    this.held++;
    while (this.held >= WORKER_PIECES && this.failure === null) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    this.throwIfFailed();
  }

  async finish(): Promise<{ bytes: number; rows: number; counters: OutputCounters }> {
    this.throwIfFailed();
    const reply = await this.request({ type: 'close' });
    if (reply.type !== 'closed') throw this.failure ?? new Error('writer thread did not close');
    await this.stop();
    return { bytes: reply.bytes, rows: reply.rows, counters: reply.counters };
  }

  async abort(): Promise<void> {
    try {
      await this.request({ type: 'abort' });
    } finally {
      await this.stop();
      // A worker that died could not delete its temporary file.
      removeTemporaries(this.setup.out);
    }
  }

  /**
   * Sends a request that the worker answers with a final reply (closed, aborted or error);
   * a worker that has exited answers nothing, so the request resolves as aborted at once.
   */
  private request(request: OutputRequest): Promise<OutputReply> {
    if (this.exited) return Promise.resolve({ type: 'aborted' });
    return new Promise((resolve) => {
      this.final = resolve;
      this.worker.postMessage(request);
    });
  }

  private receive(reply: OutputReply): void {
    if (reply.type === 'consumed') {
      this.held--;
      this.counters = reply.counters;
      this.wake();
      return;
    }
    if (reply.type === 'error') this.fail(fromErrorMessage(reply.error, 'the writer thread'));
    const final = this.final;
    this.final = null;
    final?.(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
    const final = this.final;
    this.final = null;
    final?.({ type: 'aborted' });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async stop(): Promise<void> {
    await this.worker.terminate();
    process.off('exit', this.removeLeftovers);
  }
}

/** Removes this process's temporary files of `out` (synchronous: runs in an exit hook). */
function removeTemporaries(out: string): void {
  const directory = path.dirname(path.resolve(out));
  const prefix = `.${path.basename(out)}.tmp-${process.pid}-`;
  let names: string[] = [];
  try {
    names = readdirSync(directory).filter((name) => name.startsWith(prefix));
  } catch (error) {
    log.warn('could not list the output directory to remove temporary files', {
      directory,
      error: String(error),
    });
  }
  for (const name of names) {
    try {
      unlinkSync(path.join(directory, name));
    } catch (error) {
      log.warn('could not remove a temporary file', { file: name, error: String(error) });
    }
  }
}
