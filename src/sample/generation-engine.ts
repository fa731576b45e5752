// Where candidates are generated: on the main thread's tfjs backend, or in worker threads
// that each start their own single-threaded wasm backend and take ranges of rows in turn.
// On a CPU without native TensorFlow, independent wasm instances use the cores better than
// one instance with XNNPACK threads (see docs/sampling.md for the measurements).
import type { Worker } from 'node:worker_threads';

import type { BackendName } from '../config/schema.ts';
import type { GeneratorExport } from '../model/trained-generator.ts';
import type { ActivatedRows, CategoryCheck } from './row-activation.ts';
import type { StreamKey } from './block-streams.ts';
import {
  CandidateGenerator,
  type ConditionSpec,
  type GeneratorTimings,
} from './candidate-generator.ts';
import { InferenceNetwork } from './inference-network.ts';
import { fromErrorMessage, startWorker, type ErrorMessage } from './worker-channel.ts';

/** What every generator needs; plain data, so that it can be sent to a worker. */
export interface GeneratorSetup {
  exported: GeneratorExport;
  key: StreamKey;
  condition: ConditionSpec;
  /** --where clauses checked on every candidate. */
  checks: CategoryCheck[];
}

/** Generates candidates for the sampling loop. */
export interface GenerationEngine {
  /** Ranges it can work on at once (1 on the main thread, else the number of workers). */
  readonly parallelism: number;
  /**
   * Candidates [first, first + count), activated. On the main thread the work is done before
   * this returns; workers resolve later. Ranges must be asked in increasing order.
   */
  run(first: number, count: number): Promise<ActivatedRows>;
  /** Seconds spent so far, summed over threads. */
  timings(): GeneratorTimings;
  /** Frees tensors and ends workers. */
  close(): Promise<void>;
}

/** Messages to a generator worker. */
export type GeneratorRequest = { type: 'run'; id: number; first: number; count: number };

/** Messages from a generator worker. */
export type GeneratorReply =
  | { type: 'ready' }
  | { type: 'rows'; id: number; rows: ActivatedRows; timings: GeneratorTimings }
  | { type: 'error'; error: ErrorMessage };

/** What a generator worker receives (as workerData.data). */
export interface GeneratorWorkerData {
  setup: GeneratorSetup;
  /** The backend the main thread resolved ('wasm' or 'cpu'). */
  backend: BackendName;
}

/**
 * Opens the generation engine.
 * @param setup the model and the candidate stream
 * @param workers 0: the main thread's backend (already initialized); n: n worker threads on
 *   `backend`
 * @param backend the backend workers start ('wasm' or 'cpu')
 */
export async function openGenerationEngine(
  setup: GeneratorSetup,
  workers: number,
  backend: BackendName,
): Promise<GenerationEngine> {
  if (workers === 0) return new LocalEngine(setup);
  const started = Array.from({ length: workers }, () => GeneratorWorker.start(setup, backend));
  const settled = await Promise.allSettled(started);
  const failed = settled.find((result) => result.status === 'rejected');
  const ready = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failed !== undefined) {
    await Promise.all(ready.map((worker) => worker.close()));
    throw failed.reason;
  }
  return new WorkerEngine(ready);
}

/** Generation on the calling thread's backend. */
class LocalEngine implements GenerationEngine {
  readonly parallelism = 1;
  private readonly network: InferenceNetwork;
  private readonly generator: CandidateGenerator;

  constructor(setup: GeneratorSetup) {
    this.network = InferenceNetwork.fromExport(setup.exported);
    const { layout, categoryCounts } = setup.exported;
    this.generator = new CandidateGenerator(
      this.network,
      layout,
      categoryCounts,
      setup.key,
      setup.condition,
      setup.checks,
    );
  }

  run(first: number, count: number): Promise<ActivatedRows> {
    return Promise.resolve(this.generator.generate(first, count));
  }

  timings(): GeneratorTimings {
    return { ...this.generator.timings };
  }

  close(): Promise<void> {
    this.network.dispose();
    return Promise.resolve();
  }
}

/** Ranges go to the workers in turn, so that each worker's ranges increase. */
class WorkerEngine implements GenerationEngine {
  private next = 0;

  constructor(private readonly workers: GeneratorWorker[]) {}

  get parallelism(): number {
    return this.workers.length;
  }

  run(first: number, count: number): Promise<ActivatedRows> {
    const worker = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    return worker.run(first, count);
  }

  timings(): GeneratorTimings {
    const total = { drawSeconds: 0, networkSeconds: 0, activateSeconds: 0 };
    for (const worker of this.workers) addTimings(total, worker.timings);
    return total;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}

/** One generator worker (generator-worker.ts) and its pending requests. */
class GeneratorWorker {
  readonly timings: GeneratorTimings = { drawSeconds: 0, networkSeconds: 0, activateSeconds: 0 };
  private readonly pending = new Map<
    number,
    { resolve: (rows: ActivatedRows) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private failure: Error | null = null;
  private onReady: ((error: Error | null) => void) | null = null;

  private constructor(private readonly worker: Worker) {}

  /** Starts a worker and waits until its network is built. */
  static async start(setup: GeneratorSetup, backend: BackendName): Promise<GeneratorWorker> {
    const data: GeneratorWorkerData = { setup, backend };
    const worker = startWorker(new URL('./generator-worker.ts', import.meta.url), data);
    const handle = new GeneratorWorker(worker);
    const ready = new Promise<void>((resolve, reject) => {
      handle.onReady = (error) => (error === null ? resolve() : reject(error));
    });
    worker.on('message', (reply: GeneratorReply) => handle.receive(reply));
    worker.on('error', (error) => handle.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) handle.fail(new Error(`a generator thread exited with code ${code}`));
    });
    try {
      await ready;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return handle;
  }

  run(first: number, count: number): Promise<ActivatedRows> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    const request: GeneratorRequest = { type: 'run', id, first, count };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private receive(reply: GeneratorReply): void {
    if (reply.type === 'ready') {
      this.onReady?.(null);
      this.onReady = null;
    } else if (reply.type === 'error') {
      this.fail(fromErrorMessage(reply.error, 'a generator thread'));
    } else {
      addTimings(this.timings, reply.timings);
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply.rows);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.onReady?.(this.failure);
    this.onReady = null;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

/** Adds `more` to `total`, field by field. */
function addTimings(total: GeneratorTimings, more: GeneratorTimings): void {
  total.drawSeconds += more.drawSeconds;
  total.networkSeconds += more.networkSeconds;
  total.activateSeconds += more.activateSeconds;
}
