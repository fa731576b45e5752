// Scoring the final model at the end of `tabsynth train` (evaluation.rows > 0): sample rows
// with the sampling pipeline, score them against the training table, and keep the scores and
// the HTML report in the run directory.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../checkpoint/atomic.ts';
import { evaluate, writeReport } from '../evaluate/index.ts';
import { sampleToFile } from '../sample/sampler.ts';
import { getLogger } from '../util/logger.ts';
import { readTableInput } from './table-input.ts';
import type { LoopContext } from './training-loop.ts';

const log = getLogger('train');

/**
 * Samples `config.evaluation.rows` rows from the run's bundle, scores them against the
 * training table and writes evaluation.json and report.html into the run.
 * Usefulness is measured on a seeded 20% of the training table, rows the model has seen: a
 * comparison between synthetic and real training rows, not a test on unseen data (for that,
 * run `tabsynth evaluate --holdout` with rows kept out of training).
 * @returns false when a stop was requested during sampling (nothing written)
 */
export async function evaluateFinalModel(context: LoopContext): Promise<boolean> {
  const { run, config, metadata, trainer, stop } = context;
  const file = path.join(os.tmpdir(), `tabsynth-evaluation-${process.pid}.parquet`);
  try {
    const summary = await sampleToFile(
      {
        model: run.modelDir,
        rows: config.evaluation.rows,
        out: file,
        format: 'parquet',
        seed: config.training.seed,
        shard: null,
        where: [],
        backend: config.training.backend,
      },
      { shouldStop: () => stop.requested !== null, terminal: null },
    );
    if (summary === null) return false;
    const synthetic = await readTableInput(file, metadata);
    const real = await readTableInput(config.data.path, metadata, {
      maxRows: config.data.maxRows,
      seed: config.training.seed,
    });
    const result = await evaluate({
      real: real.table,
      synthetic: synthetic.table,
      metadata,
      seed: config.training.seed,
    });
    await writeFileAtomic(run.evaluationFile, `${JSON.stringify(result, null, 2)}\n`);
    await writeReport(result, run.reportFile, {
      lossHistory: trainer.history.map((record) => ({ ...record })),
      title: `tabsynth run ${path.basename(run.dir)}: ${config.evaluation.rows} sampled rows`,
    });
    log.info(
      `final model scored: quality ${result.quality.score?.toFixed(3)} (column shapes ` +
        `${result.quality.columnShapes?.toFixed(3)}, pair trends ` +
        `${result.quality.columnPairTrends?.toFixed(3)}); ${run.evaluationFile}, ${run.reportFile}`,
      {
        event: 'evaluation',
        quality: result.quality.score,
        columnShapes: result.quality.columnShapes,
        columnPairTrends: result.quality.columnPairTrends,
      },
    );
    return true;
  } finally {
    await fs.rm(file, { force: true });
  }
}
