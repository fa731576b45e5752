// Samples a model bundle into a file: reads the bundle, starts the backend, plans the rows
// (shard, --where), starts the generation engine and the output end where the engine choice
// puts them, runs the loop, and finishes or aborts the file.
import os from 'node:os';

import { initBackend, type BackendInfo } from '../backend/init.ts';
import { readBundle, resolveBundleDir } from '../checkpoint/bundle.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import type { BackendName } from '../config/schema.ts';
import type { WriteFormat } from '../io/table-writer.ts';
import { TableTransformer } from '../transform/table-transformer.ts';
import type { DataLayout } from '../transform/layout.ts';
import { CheckpointError, ConfigError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import type { ConditionWeighting, GeneratorTimings } from './candidate-generator.ts';
import { openGenerationEngine, type GenerationEngine } from './generation-engine.ts';
import type { AcceptanceLimit } from './output-core.ts';
import { openOutputStage } from './output-stage.ts';
import { SampleProgress } from './progress.ts';
import { runLoop } from './sample-loop.ts';
import { planSampling, type SamplePlan, type ShardSpec, type WhereClause } from './sample-plan.ts';

const log = getLogger('sample');

/** Where the work runs (see docs/sampling.md for how the defaults were chosen). */
export interface EngineChoice {
  /** 0: the generator runs on the main thread's backend; n: in n worker threads (wasm/cpu). */
  generatorWorkers: number;
  /** Decode and write in a worker thread instead of the main thread. */
  writerWorker: boolean;
}

/** What to sample (the CLI's options, plus tuning knobs for tests and benchmarks). */
export interface SampleRequest {
  /** Run directory or model bundle folder. */
  model: string;
  /** Rows of the whole run (all shards together). */
  rows: number;
  out: string;
  format: WriteFormat;
  seed: number;
  /** Rows per generator call. Default: sampling.batchSize of the config defaults. */
  batchSize?: number | undefined;
  shard: ShardSpec | null;
  where: WhereClause[];
  /**
   * How rows' conditions are drawn: 'original' (default) follows the training table's
   * frequencies; 'log-frequency' gives rare categories and modes more rows (ConditionSpec).
   */
  conditions?: ConditionWeighting | undefined;
  backend: BackendName;
  /** Default: $TABSYNTH_SAMPLE_GENERATORS / $TABSYNTH_SAMPLE_WRITER, else chooseEngine's. */
  engine?: Partial<EngineChoice>;
  /** When --where gives up. Default: after 1,000,000 candidates, below 1e-4 accepted. */
  acceptance?: AcceptanceLimit;
}

/** How the run went. */
export interface SampleSummary {
  file: string;
  rows: number;
  /** Rows generated (more than rows with --where). */
  candidates: number;
  seconds: number;
  rowsPerSecond: number;
  bytes: number;
  /** rows / candidates with --where, else null. */
  acceptanceRate: number | null;
  backend: BackendInfo;
  engine: EngineChoice;
  batchSize: number;
  /** Seconds per stage, summed over threads (stages overlap, so they exceed `seconds`). */
  stages: { draw: number; network: number; activate: number; decode: number; write: number };
}

/** Controls of a run. */
export interface SampleControl {
  /** Asked between batches; true stops, aborts the file and resolves to null. */
  shouldStop: () => boolean;
  /** Draw a progress bar here; null logs progress lines instead. */
  terminal: NodeJS.WriteStream | null;
}

const DEFAULT_ACCEPTANCE: AcceptanceLimit = { minCandidates: 1_000_000, minRate: 1e-4 };

/**
 * Samples rows into request.out (written under a temporary name, renamed when complete).
 * @returns the summary, or null when stopped (no file at the final path then)
 * @throws CheckpointError for a missing or damaged bundle; UsageError for bad --where clauses,
 *   an unwritable output or too rare --where combinations; BackendError when the backend fails
 */
export async function sampleToFile(
  request: SampleRequest,
  control: SampleControl,
): Promise<SampleSummary | null> {
  const started = performance.now();
  const bundleDir = await resolveBundleDir(request.model);
  const bundle = await readBundle(bundleDir);
  const transformer = TableTransformer.fromJSON(bundle.transformer);
  checkSameLayout(transformer.layout, bundle.generator.layout, bundleDir);
  const plan = planSampling(transformer, request);
  const backend = await initBackend(request.backend, log);
  const engine = chooseEngine(backend, request.engine);
  const batchSize = request.batchSize ?? DEFAULT_CONFIG.sampling.batchSize;
  logStart(request, plan, bundleDir, engine, batchSize);

  const output = await openOutputStage(
    {
      transformer: bundle.transformer,
      out: request.out,
      format: request.format,
      checks: plan.checks,
      rows: plan.rows,
      idStart: plan.idStart,
      acceptance: plan.exact ? null : (request.acceptance ?? DEFAULT_ACCEPTANCE),
    },
    engine.writerWorker,
  );
  let generation: GenerationEngine | null = null;
  const progress = new SampleProgress({ total: plan.rows, terminal: control.terminal, log });
  try {
    generation = await openGenerationEngine(
      { exported: bundle.generator, key: plan.key, condition: plan.condition, checks: plan.checks },
      engine.generatorWorkers,
      backend.name,
    );
    const end = await runLoop(generation, output, {
      firstCandidate: plan.firstCandidate,
      candidates: plan.exact ? plan.rows : null,
      batchSize,
      shouldStop: control.shouldStop,
      onProgress: () => progress.update(output.counters.written, output.counters.candidates),
    });
    progress.finish();
    if (end === 'stopped') {
      await output.abort();
      return null;
    }
    const { bytes, rows, counters } = await output.finish();
    const seconds = (performance.now() - started) / 1000;
    const timings = generation.timings();
    return {
      file: request.out,
      rows,
      candidates: counters.candidates,
      seconds,
      rowsPerSecond: rows / seconds,
      bytes,
      acceptanceRate: plan.exact ? null : rows / Math.max(counters.candidates, 1),
      backend,
      engine,
      batchSize,
      stages: {
        ...stagesOf(timings),
        decode: counters.decodeSeconds,
        write: counters.writeSeconds,
      },
    };
  } catch (error) {
    progress.finish();
    await output.abort().catch((abortError: unknown) => {
      log.warn('could not remove the unfinished output', { error: String(abortError) });
    });
    throw error;
  } finally {
    await generation?.close();
  }
}

/** The generation side's seconds as SampleSummary stages. */
function stagesOf(timings: GeneratorTimings): { draw: number; network: number; activate: number } {
  return {
    draw: timings.drawSeconds,
    network: timings.networkSeconds,
    activate: timings.activateSeconds,
  };
}

/** The run's first log line, with its settings as fields. */
function logStart(
  request: SampleRequest,
  plan: SamplePlan,
  bundleDir: string,
  engine: EngineChoice,
  batchSize: number,
): void {
  log.info(`sampling ${plan.rows} rows from ${bundleDir} to ${request.out}`, {
    event: 'sample_start',
    rows: plan.rows,
    idStart: plan.idStart,
    shard: request.shard === null ? null : `${request.shard.index}/${request.shard.count}`,
    where: request.where.map((clause) => `${clause.column}=${clause.value}`),
    conditions: plan.condition.kind,
    format: request.format,
    seed: request.seed,
    batchSize,
    generatorWorkers: engine.generatorWorkers,
    writerWorker: engine.writerWorker,
  });
}

/**
 * Where the work runs. wasm and cpu: the generator in worker threads, one per core (up to
 * 4), each with its own single-threaded backend, and the output on the main thread; a native
 * TensorFlow backend (GPU or many-core CPU kernels): the generator on the main thread and the
 * output in a writer worker. One core: everything on the main thread.
 * @param backend the backend that runs
 * @param given explicit choices (e.g. from a test); the environment variables override the
 *   defaults, explicit choices override both
 * @throws ConfigError for malformed TABSYNTH_SAMPLE_GENERATORS / TABSYNTH_SAMPLE_WRITER
 */
export function chooseEngine(
  backend: BackendInfo,
  given: Partial<EngineChoice> = {},
): EngineChoice {
  const cores = os.availableParallelism();
  const native = backend.name === 'tensorflow';
  const defaults: EngineChoice = {
    generatorWorkers: native || cores < 2 ? 0 : Math.min(cores, 4),
    writerWorker: native && cores >= 2,
  };
  const fromEnvironment = engineFromEnvironment();
  const choice = { ...defaults, ...fromEnvironment, ...given };
  if (native && choice.generatorWorkers > 0) {
    log.warn(
      'generator worker threads need the wasm or cpu backend; generating on the main thread',
    );
    choice.generatorWorkers = 0;
  }
  return choice;
}

/** TABSYNTH_SAMPLE_GENERATORS (a whole number) and TABSYNTH_SAMPLE_WRITER (main|worker). */
function engineFromEnvironment(): Partial<EngineChoice> {
  const choice: Partial<EngineChoice> = {};
  const generators = process.env['TABSYNTH_SAMPLE_GENERATORS']?.trim();
  if (generators !== undefined && generators !== '') {
    const count = Number(generators);
    if (!Number.isInteger(count) || count < 0 || count > 64) {
      throw new ConfigError(
        `TABSYNTH_SAMPLE_GENERATORS must be 0 (generate on the main thread) or a number of ` +
          `worker threads up to 64; got '${generators}'.`,
      );
    }
    choice.generatorWorkers = count;
  }
  const writer = process.env['TABSYNTH_SAMPLE_WRITER']?.trim();
  if (writer !== undefined && writer !== '') {
    if (writer !== 'main' && writer !== 'worker') {
      throw new ConfigError(`TABSYNTH_SAMPLE_WRITER must be 'main' or 'worker'; got '${writer}'.`);
    }
    choice.writerWorker = writer === 'worker';
  }
  return choice;
}

/** The transformer's layout must be the one the generator was trained on. */
function checkSameLayout(transformer: DataLayout, generator: DataLayout, dir: string): void {
  if (JSON.stringify(transformer) !== JSON.stringify(generator)) {
    throw new CheckpointError(
      `${dir}: the generator was trained on another data layout than the bundle's ` +
        'transformer describes (dataDim ' +
        `${generator.dataDim} vs ${transformer.dataDim}); the bundle is damaged: retrain.`,
    );
  }
}
