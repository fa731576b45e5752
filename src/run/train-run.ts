// `tabsynth train`: a new run (read, fit the transformer, train) or a resumed one (newest
// valid checkpoint, locked settings checked, data re-read and re-transformed identically),
// then the epoch loop, and a clean stop on SIGINT/SIGTERM after a checkpoint.
import { promises as fs } from 'node:fs';
import { initBackend, releaseBackend, type BackendInfo } from '../backend/init.ts';
import { writeFileAtomic } from '../checkpoint/atomic.ts';
import {
  checkConsistency,
  flagOverrides,
  loadConfigFile,
  resolveConfig,
  type PartialConfig,
} from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { Trainer } from '../model/trainer.ts';
import type { TrainerProgress } from '../model/trainer-state.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { TableTransformer } from '../transform/table-transformer.ts';
import { CheckpointError, UsageError } from '../util/errors.ts';
import { getLogger, type LogFormat } from '../util/logger.ts';
import { Rng } from '../util/rng.ts';
import { TABSYNTH_VERSION } from '../util/version.ts';
import { evaluateFinalModel } from './final-evaluation.ts';
import { applyResumeChanges } from './resume-config.ts';
import { fingerprintFile, RunDirectory, type RunProvenance } from './run-dir.ts';
import { StopRequest } from './signals.ts';
import { readTableInput } from './table-input.ts';
import { trainLoop, type LoopContext } from './training-loop.ts';

const log = getLogger('train');

/** Options of runTraining, as the CLI passes them. */
export interface TrainingRunOptions {
  /** A config file (new run; on resume only its changeable keys apply). */
  configFile?: string;
  /** A run directory to continue. */
  resumeDir?: string;
  /** Flag values, as a partial config. */
  overrides: PartialConfig;
  logFormat: LogFormat;
}

/**
 * Runs `tabsynth train` and resolves to its exit code: 0 when training finished, 130/143 when
 * a signal stopped it after a checkpoint.
 * @throws UserError subclasses for bad configs, data, checkpoints or divergence
 */
export async function runTraining(options: TrainingRunOptions): Promise<number> {
  const stop = new StopRequest().install('finishing the current step, then writing a checkpoint');
  let context: LoopContext | null = null;
  try {
    context = options.resumeDir
      ? await prepareResume(options.resumeDir, options, stop)
      : await prepareNewRun(options, stop);
    const { trainer, config, run } = context;
    if (trainer.epoch >= config.training.epochs) {
      log.info(
        `the run already has ${trainer.epoch} epochs (training.epochs is ` +
          `${config.training.epochs}); to train more, resume with a larger total: ` +
          `tabsynth train --resume ${run.dir} --epochs ${trainer.epoch * 2}`,
      );
      return 0;
    }
    const end = await trainLoop(context);
    if (end === 'stopped') {
      log.warn(
        `stopped at epoch ${trainer.epoch}, step ${trainer.stepInEpoch}; a checkpoint is in ` +
          `${run.checkpoints.dir}. Continue with: tabsynth train --resume ${run.dir}`,
      );
      return stop.exitCode;
    }
    if (config.evaluation.rows > 0 && !(await evaluateFinalModel(context))) {
      return stop.exitCode;
    }
    log.info(`training finished: model bundle in ${run.modelDir}`, {
      event: 'fit_end',
      epochs: trainer.epoch,
      seconds: Number(trainer.history.reduce((sum, r) => sum + r.seconds, 0).toFixed(3)),
      model: run.modelDir,
    });
    return 0;
  } finally {
    stop.uninstall();
    context?.trainer.dispose();
    releaseBackend();
  }
}

async function prepareNewRun(
  options: TrainingRunOptions,
  stop: StopRequest,
  restart?: RunConfig,
): Promise<LoopContext> {
  const config =
    restart ?? (await resolveConfig({ file: options.configFile, overrides: options.overrides }));
  const run = new RunDirectory(config.output.dir);
  if (restart === undefined && (await run.holdsRun())) {
    throw new UsageError(
      `${run.dir} already holds a run. Continue it with tabsynth train --resume ${run.dir}, ` +
        'or start a new one elsewhere with --out NEW_DIR.',
    );
  }
  const backend = await initBackend(config.training.backend, undefined, { hintThreads: true });
  const { table, metadata, inferred } = await readTableInput(
    config.data.path,
    config.data.metadata,
    {
      maxRows: config.data.maxRows,
      seed: config.training.seed,
    },
  );
  const transformer = TableTransformer.fit(table, metadata, config.transform, config.training.seed);
  const matrix = transformer.transform(table, transformRng(config));
  const transformerJson = transformer.toJSON();

  await run.create();
  const provenance: RunProvenance = {
    tabsynthVersion: TABSYNTH_VERSION,
    createdAt: new Date().toISOString(),
    data: await fingerprintFile(config.data.path),
    backend: backend.name,
    device: backend.device,
  };
  await writeFileAtomic(run.configFile, `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomic(run.metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFileAtomic(run.transformerFile, JSON.stringify(transformerJson));
  await writeFileAtomic(run.provenanceFile, `${JSON.stringify(provenance, null, 2)}\n`);
  if (inferred) {
    log.info(
      `metadata inferred and saved to ${run.metadataFile}: edit it and pass it with ` +
        '--metadata to train again with your corrections',
    );
  }
  const trainer = new Trainer(transformer.layout, matrix, {
    model: config.model,
    training: config.training,
  });
  return loopContext(
    trainer,
    run,
    config,
    metadata,
    transformerJson,
    matrix.rows,
    backend,
    options,
    stop,
  );
}

async function prepareResume(
  dir: string,
  options: TrainingRunOptions,
  stop: StopRequest,
): Promise<LoopContext> {
  const run = new RunDirectory(dir);
  if (!(await run.holdsRun())) {
    throw new CheckpointError(
      `${dir} is not a tabsynth run directory (no config.json, no checkpoints/). Pass the ` +
        '--out folder of an earlier tabsynth train, e.g. --resume models/demo.',
    );
  }
  if ((await run.checkpoints.list()).length === 0) return restartRun(run, options, stop);
  const { info, content } = await run.checkpoints.loadNewestValid();
  const requested = options.configFile ? await loadConfigFile(options.configFile) : {};
  mergeInto(requested, flagOverrides(options.overrides));
  const config = applyResumeChanges(content.config as RunConfig, requested);
  config.output.dir = run.dir;
  checkConsistency(config);

  const backend = await initBackend(config.training.backend, undefined, { hintThreads: true });
  if (backend.name !== content.backend) {
    log.warn(
      `the checkpoint was written on ${content.backend} and training continues on ` +
        `${backend.name}: results will not be bit-identical to an uninterrupted run`,
    );
  }
  const metadata = content.metadata as TableMetadata;
  const { table } = await readTableInput(config.data.path, metadata, {
    maxRows: config.data.maxRows,
    seed: config.training.seed,
  }).catch(async (error: unknown) => {
    if (!(await fileExists(config.data.path))) {
      throw new UsageError(
        `The run's table ${config.data.path} is gone. Resume with --data pointing to the same ` +
          'table, e.g. tabsynth train --resume ' +
          `${run.dir} --data /new/place/table.csv`,
        { cause: error },
      );
    }
    throw error;
  });
  await warnIfDataChanged(run, config.data.path);
  const transformer = TableTransformer.fromJSON(content.transformer);
  const matrix = transformer.transform(table, transformRng(config));
  const trainer = Trainer.fromState(
    transformer.layout,
    matrix,
    { model: config.model, training: config.training },
    { arrays: content.tensors, progress: content.trainer as TrainerProgress },
  );
  await writeFileAtomic(run.configFile, `${JSON.stringify(config, null, 2)}\n`);
  log.info(`resumed from ${info.dir} at epoch ${info.epoch}, step ${info.step}`, {
    event: 'resume',
    checkpoint: info.dir,
    epoch: info.epoch,
    step: info.step,
  });
  return loopContext(
    trainer,
    run,
    config,
    metadata,
    content.transformer,
    matrix.rows,
    backend,
    options,
    stop,
  );
}

// A run stopped before its first checkpoint starts again from epoch 0 with its saved config.
async function restartRun(
  run: RunDirectory,
  options: TrainingRunOptions,
  stop: StopRequest,
): Promise<LoopContext> {
  let saved: RunConfig;
  try {
    saved = JSON.parse(await fs.readFile(run.configFile, 'utf8')) as RunConfig;
  } catch (error) {
    throw new CheckpointError(
      `${run.dir} has no checkpoint and no readable config.json (${(error as Error).message}); ` +
        'start a new run with tabsynth train --config FILE --out NEW_DIR.',
      { cause: error },
    );
  }
  const requested = options.configFile ? await loadConfigFile(options.configFile) : {};
  mergeInto(requested, flagOverrides(options.overrides));
  const config = applyResumeChanges(saved, requested);
  config.output.dir = run.dir;
  checkConsistency(config);
  log.warn(`${run.dir} has no checkpoint yet: starting its training again from epoch 0`);
  return prepareNewRun(options, stop, config);
}

function mergeInto(target: PartialConfig, source: PartialConfig): void {
  for (const [section, values] of Object.entries(source)) {
    const key = section as keyof PartialConfig;
    target[key] = { ...target[key], ...values } as never;
  }
}

function loopContext(
  trainer: Trainer,
  run: RunDirectory,
  config: RunConfig,
  metadata: TableMetadata,
  transformer: unknown,
  rows: number,
  backend: BackendInfo,
  options: TrainingRunOptions,
  stop: StopRequest,
): LoopContext {
  return {
    trainer,
    run,
    config,
    metadata,
    transformer,
    rows,
    backend,
    logFormat: options.logFormat,
    stop,
  };
}

// The transform draws each value's mode from its posterior: the same stream on every run of
// the same seed, so a resumed run sees exactly the matrix the first one did.
function transformRng(config: RunConfig): Rng {
  return new Rng(`transform:${config.training.seed}`);
}

async function warnIfDataChanged(run: RunDirectory, dataPath: string): Promise<void> {
  let provenance: RunProvenance;
  try {
    provenance = JSON.parse(await fs.readFile(run.provenanceFile, 'utf8')) as RunProvenance;
  } catch (error) {
    log.warn(`cannot read ${run.provenanceFile} (${(error as Error).message}); data not checked`);
    return;
  }
  const now = await fingerprintFile(dataPath);
  if (now.sha256 !== provenance.data.sha256) {
    log.warn(
      `${dataPath} changed since the run started (SHA-256 differs): training continues on the ` +
        'changed data, so the result will differ from an uninterrupted run',
    );
  }
}

async function fileExists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
