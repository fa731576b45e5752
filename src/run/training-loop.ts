// The epoch loop of a run around the Trainer: progress lines, history after every epoch,
// checkpoints (every N epochs, every M minutes, and when a signal asks to stop) with the
// model bundle beside them.
import type { BackendInfo } from '../backend/init.ts';
import { writeBundle, type TrainingSummary } from '../checkpoint/bundle.ts';
import type { RunConfig } from '../config/schema.ts';
import type { StepEvent, Trainer } from '../model/trainer.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { getLogger, type LogFormat } from '../util/logger.ts';
import { writeHistory } from './history.ts';
import { formatProgressLine, type ProgressFields } from './progress.ts';
import type { RunDirectory } from './run-dir.ts';
import type { StopRequest } from './signals.ts';

const log = getLogger('train');

/** What the loop needs besides the trainer. */
export interface LoopContext {
  trainer: Trainer;
  run: RunDirectory;
  config: RunConfig;
  metadata: TableMetadata;
  /** TableTransformer.toJSON() of the fitted transformer. */
  transformer: unknown;
  rows: number;
  backend: BackendInfo;
  logFormat: LogFormat;
  stop: StopRequest;
}

/** How the loop ended. */
export type LoopEnd = 'finished' | 'stopped';

/**
 * Trains until config.training.epochs epochs are finished, or a stop is requested (then
 * after writing a checkpoint).
 * @throws TrainingDivergedError from the trainer (the last checkpoint stays the newest)
 * @throws CheckpointError when a checkpoint cannot be written
 */
export async function trainLoop(context: LoopContext): Promise<LoopEnd> {
  const { trainer, config, stop } = context;
  const { epochs, checkpointEvery, checkpointMinutes } = config.training;
  const progress = new ProgressReporter(context);
  let lastCheckpoint = performance.now();
  const checkpointDue = (): boolean =>
    checkpointMinutes !== null && performance.now() - lastCheckpoint >= checkpointMinutes * 60e3;

  log.info(`training to epoch ${epochs}`, {
    event: 'fit_start',
    epoch: trainer.epoch,
    step: trainer.stepInEpoch,
    epochs,
    stepsPerEpoch: trainer.stepsPerEpoch,
    batchSize: config.training.batchSize,
  });
  while (trainer.epoch < epochs) {
    const result = await trainer.train({
      epochs: trainer.epoch + 1,
      onStep: (event) => progress.step(event),
      shouldStop: () => stop.requested !== null || checkpointDue(),
    });
    if (result.stopped) {
      await saveCheckpoint(context);
      lastCheckpoint = performance.now();
      if (stop.requested !== null) return 'stopped';
      continue;
    }
    await writeHistory(context.run.dir, trainer.history);
    if (trainer.epoch % checkpointEvery === 0 || trainer.epoch === epochs) {
      await saveCheckpoint(context);
      lastCheckpoint = performance.now();
    }
  }
  return 'finished';
}

/** Writes a checkpoint of the trainer's current state and refreshes the model bundle. */
export async function saveCheckpoint(context: LoopContext): Promise<void> {
  const started = performance.now();
  const { trainer, run, config } = context;
  const state = trainer.getState();
  const info = await run.checkpoints.write(
    {
      epoch: state.progress.epoch,
      step: state.progress.stepInEpoch,
      backend: context.backend.name,
      tensors: state.arrays,
      trainer: state.progress,
      config,
      metadata: context.metadata,
      transformer: context.transformer,
    },
    config.training.keepCheckpoints,
  );
  await writeBundle(run.modelDir, {
    generator: trainer.exportGenerator(),
    transformer: context.transformer,
    metadata: context.metadata,
    training: trainingSummary(context),
  });
  log.info(`checkpoint written: ${info.dir}`, {
    event: 'checkpoint',
    path: info.dir,
    epoch: info.epoch,
    step: info.step,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  });
}

/** How the bundled model was trained so far. */
export function trainingSummary(context: LoopContext): TrainingSummary {
  const { trainer, config, backend } = context;
  const history = trainer.history;
  const last = history.length > 0 ? history[history.length - 1]! : null;
  return {
    epochs: trainer.epoch,
    epochsPlanned: config.training.epochs,
    rows: context.rows,
    seed: config.training.seed,
    backend: backend.name,
    device: backend.device,
    seconds: Number(history.reduce((sum, record) => sum + record.seconds, 0).toFixed(3)),
    lastEpoch: last === null ? null : { ...last },
    dataPath: config.data.path,
    generatorAverageDecay: config.training.generatorAverageDecay,
  };
}

/** One progress line per interval (and for the first and the last step). */
class ProgressReporter {
  private lastLine = -Infinity;
  private averageMs = 0;

  constructor(private readonly context: LoopContext) {}

  step(event: StepEvent): void {
    const { trainer, config, logFormat } = this.context;
    const epochs = config.training.epochs;
    // Exponential moving average over ~20 steps, so the ETA settles but follows changes.
    this.averageMs =
      this.averageMs === 0 ? event.msPerStep : 0.95 * this.averageMs + 0.05 * event.msPerStep;
    const now = performance.now();
    const last = event.epoch === epochs && event.step === event.stepsPerEpoch;
    if (now - this.lastLine < config.training.logEverySeconds * 1000 && !last) return;
    this.lastLine = now;

    const stepsLeft =
      (epochs - event.epoch) * trainer.stepsPerEpoch + (event.stepsPerEpoch - event.step);
    const fields: ProgressFields = {
      epoch: event.epoch,
      epochs,
      step: event.step,
      stepsPerEpoch: event.stepsPerEpoch,
      generatorLoss: event.generatorLoss,
      discriminatorLoss: event.discriminatorLoss,
      gradientPenalty: event.gradientPenalty,
      msPerStep: this.averageMs,
      rowsPerSecond: (config.training.batchSize * 1000) / this.averageMs,
      etaSeconds: (stepsLeft * this.averageMs) / 1000,
    };
    if (logFormat === 'json')
      log.info('progress', { event: 'progress', ...fields, condLoss: event.condLoss });
    else log.info(formatProgressLine(fields));
  }
}
