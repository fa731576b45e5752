// `tabsynth evaluate`: read the real, synthetic and held-out tables with one metadata, score
// them, print the figures (text or one JSON object) and optionally write the HTML report.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readBundle, resolveBundleDir } from '../checkpoint/bundle.ts';
import { evaluate, writeReport, type EvaluationResult, type LossPoint } from '../evaluate/index.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { getLogger } from '../util/logger.ts';
import { historyFromCsv } from './history.ts';
import { readTableInput } from './table-input.ts';

const log = getLogger('evaluate');

/** Options of runEvaluation, as the CLI passes them. */
export interface EvaluationRunOptions {
  real: string;
  synthetic: string;
  holdout?: string;
  /** Metadata JSON; default: the model's (with --model), else inferred from the real table. */
  metadata?: string;
  target?: string;
  positiveClass?: string;
  /** Run directory or bundle: its metadata and loss history are used. */
  model?: string;
  report?: string;
  json: boolean;
  seed: number;
}

/** Runs `tabsynth evaluate`. */
export async function runEvaluation(options: EvaluationRunOptions): Promise<void> {
  let metadataSource: string | TableMetadata | null = options.metadata ?? null;
  let lossHistory: LossPoint[] | undefined;
  if (options.model !== undefined) {
    const bundleDir = await resolveBundleDir(options.model);
    if (metadataSource === null) metadataSource = (await readBundle(bundleDir)).metadata;
    lossHistory = await readLossHistory(path.join(path.dirname(bundleDir), 'history.csv'));
  }
  const real = await readTableInput(options.real, metadataSource);
  const metadata = real.metadata;
  const synthetic = await readTableInput(options.synthetic, metadata);
  const holdout = options.holdout ? await readTableInput(options.holdout, metadata) : null;

  const result = await evaluate({
    real: real.table,
    synthetic: synthetic.table,
    ...(holdout ? { holdout: holdout.table } : {}),
    metadata,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.positiveClass !== undefined ? { positiveClass: options.positiveClass } : {}),
    seed: options.seed,
  });
  if (options.report) {
    await writeReport(result, options.report, lossHistory ? { lossHistory } : {});
    log.info(`report written to ${options.report}`, { event: 'report', path: options.report });
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatEvaluation(result)}\n`,
  );
}

/** The figures of an evaluation as a few readable lines. */
export function formatEvaluation(result: EvaluationResult): string {
  const { quality } = result;
  const lines = [
    `rows: real ${result.rows.real}, synthetic ${result.rows.synthetic}` +
      (result.rows.holdout !== null ? `, held out ${result.rows.holdout}` : ''),
    `quality ${score(quality.score)}  (column shapes ${score(quality.columnShapes)}, ` +
      `column pair trends ${score(quality.columnPairTrends)}; over the ` +
      `${quality.importantPairs} pairs that matter ${score(quality.columnPairTrendsImportant)})`,
    'worst columns: ' +
      result.columnShapes
        .slice(0, 5)
        .map((c) => `${c.column} ${score(c.score)}`)
        .join(', '),
    'worst pairs: ' +
      result.columnPairs
        .slice(0, 5)
        .map((p) => `${p.columnA}~${p.columnB} ${score(p.score)}`)
        .join(', '),
  ];
  const useful = result.usefulness;
  if (useful !== null) {
    const scores = (s: typeof useful.real): string =>
      useful.task === 'classification'
        ? `accuracy ${score(s.accuracy)}  F1 ${score(s.f1)}  AUC ${score(s.auc)}`
        : `R2 ${score(s.r2)}`;
    lines.push(
      `usefulness (${useful.model}, predicting ${useful.target} on ${useful.testRows} ` +
        `held-out real rows, ${useful.holdout}):`,
      `  trained on synthetic: ${scores(useful.synthetic)}`,
      `  trained on real:      ${scores(useful.real)}`,
    );
  } else if (result.usefulnessSkipped) {
    lines.push(`usefulness: skipped (${result.usefulnessSkipped})`);
  }
  const privacy = result.privacy;
  if (privacy !== null) {
    const holdout = privacy.holdout;
    lines.push(
      `privacy: ${(privacy.exactMatchShare * 100).toFixed(2)}% of synthetic rows copy a real ` +
        `row; distance to closest real row: median ${privacy.synthetic.median.toFixed(4)}, ` +
        `5th percentile ${privacy.synthetic.percentile5.toFixed(4)}` +
        (holdout
          ? ` (held-out real rows: median ${holdout.median.toFixed(4)}, 5th percentile ` +
            `${holdout.percentile5.toFixed(4)})`
          : ''),
    );
  }
  return lines.join('\n');
}

function score(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

async function readLossHistory(file: string): Promise<LossPoint[] | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    log.warn(`no loss curve in the report: cannot read ${file} (${(error as Error).message})`);
    return undefined;
  }
  return historyFromCsv(text).map((record) => ({
    epoch: record.epoch,
    generatorLoss: record.generatorLoss,
    discriminatorLoss: record.discriminatorLoss,
    gradientPenalty: record.gradientPenalty,
  }));
}
