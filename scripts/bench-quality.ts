// Quality benchmark on Adult, as the CTGAN paper's comparisons are made: train on the 80%
// split (../shared/data/adult-split/adult_train.csv, 26,048 rows) with the paper's defaults
// (300 epochs, batch 500), sample as many rows, and score them against the unseen 20%
// (adult_test.csv) with `tabsynth evaluate`. Uses the real command line throughout.
// Run: npx tsx scripts/bench-quality.ts [--epochs N] [--seed S] [--average-decay D]
//        [--no-mode-conditions] [--score-only] [--out DIR]
// (training seed S, default 0; GAN runs differ by seed, so compare figures over several; D sets
// training.generatorAverageDecay, default the config default, 0 samples the last weights;
// --no-mode-conditions sets transform.conditionOnModes: false; --score-only samples and scores
// the run in OUT as it is, without training or resuming it).
// The model is sampled twice: with the table's own frequencies (`--conditions original`, the
// default) and with conditions drawn by log frequency (`--conditions log-frequency`, as the
// Python CTGAN samples); the classifier is trained with seeds 0-3 on each.
// A finished run is reused; a stopped one is resumed. Figures go to stdout and OUT/scores*.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { readTable } from '../src/io/read-table.ts';
import { historyFromCsv } from '../src/run/history.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const split = path.resolve(root, '../shared/data/adult-split');
const epochs = Number(flag('--epochs') ?? 300);
const seed = Number(flag('--seed') ?? 0);
const averageDecay = flag('--average-decay');
const modeConditions = !process.argv.includes('--no-mode-conditions');
const scoreOnly = process.argv.includes('--score-only');
const defaultOut =
  `bench-out/adult-quality-${epochs}${seed === 0 ? '' : `-seed${seed}`}` +
  `${averageDecay === undefined ? '' : `-average${averageDecay}`}` +
  `${modeConditions ? '' : '-no-mode-conditions'}`;
const out = path.resolve(flag('--out') ?? path.join(root, defaultOut));
const run = path.join(out, 'run');

// The Python CTGAN at its defaults on this split (../shared/data/README.md).
const REFERENCE = { columnShapes: 0.851, columnPairTrends: 0.822, quality: 0.836, f1: 0.664 };
const CLASSIFIER_SEEDS = [0, 1, 2, 3];
const WEIGHTINGS = ['original', 'log-frequency'] as const;

/** What the benchmark reads from `tabsynth evaluate --json`. */
interface Scores {
  quality: { score: number; columnShapes: number; columnPairTrends: number };
  columnShapes: { column: string; score: number }[];
  usefulness: {
    synthetic: { f1: number; auc: number; accuracy: number };
    real: { f1: number; auc: number };
  };
}

/** One sample's figures: fidelity from classifier seed 0, usefulness over all seeds. */
interface SampleFigures {
  scores: Scores;
  f1: number[];
  auc: number[];
  realF1: number[];
  share: string;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(split, 'adult_train.csv'))) {
    console.error(`bench-quality needs ${split}/adult_train.csv; it is absent.`);
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const config = path.join(out, 'adult-split.yaml');
  writeFileSync(
    config,
    [
      `data: {path: ${path.join(split, 'adult_train.csv')}, ` +
        `metadata: ${path.join(root, 'configs/adult-metadata.json')}}`,
      `transform: {conditionOnModes: ${modeConditions}}`,
      `training: {epochs: ${epochs}, seed: ${seed}, checkpointEvery: 10` +
        `${averageDecay === undefined ? '' : `, generatorAverageDecay: ${Number(averageDecay)}`}}`,
      `output: {dir: ${run}}`,
    ].join('\n'),
  );

  if (scoreOnly) console.log(`scoring ${run} as it is`);
  else if (existsSync(path.join(run, 'config.json'))) tabsynth(['train', '--resume', run]);
  else tabsynth(['train', '--config', config]);
  const trainSeconds = recordedTrainingSeconds();

  const figures = new Map<string, SampleFigures>();
  for (const weighting of WEIGHTINGS) figures.set(weighting, await sampleAndScore(weighting));
  const original = figures.get('original')!;
  const logFrequency = figures.get('log-frequency')!;

  const row = (label: string, value: (f: SampleFigures) => string, reference: string): void =>
    console.log(`| ${label} | ${value(original)} | ${value(logFrequency)} | ${reference} |`);
  const shape = (column: string) => (f: SampleFigures) =>
    fix(f.scores.columnShapes.find((c) => c.column === column)?.score);
  console.log(
    `\nAdult, ${epochs} epochs (training ${(trainSeconds / 60).toFixed(1)} min, ` +
      'summed over the epochs of history.csv, resumed sessions included):',
  );
  console.log('| figure | tabsynth, original | tabsynth, log-frequency | Python CTGAN |');
  console.log('| --- | --- | --- | --- |');
  row('Column Shapes', (f) => fix(f.scores.quality.columnShapes), `${REFERENCE.columnShapes}`);
  row(
    'Column Pair Trends',
    (f) => fix(f.scores.quality.columnPairTrends),
    `${REFERENCE.columnPairTrends}`,
  );
  row('Quality', (f) => fix(f.scores.quality.score), `${REFERENCE.quality}`);
  row('F1 (>50K), trained on synthetic, seeds 0-3', (f) => spread(f.f1), '0.654-0.664');
  row('AUC, trained on synthetic, seeds 0-3', (f) => spread(f.auc), 'n/a');
  row('F1 (>50K), trained on real, seeds 0-3', (f) => spread(f.realF1), '0.685');
  row('capital-gain shape', shape('capital-gain'), '0.52');
  row('capital-loss shape', shape('capital-loss'), '0.61');
  row('>50K share of the rows (real 24.1 %)', (f) => f.share, '');
  console.log(
    `scores: ${path.join(out, 'scores*.json')}; report: ${path.join(out, 'report.html')}`,
  );
}

/** Samples the run with the given condition weighting and scores the rows. */
async function sampleAndScore(weighting: (typeof WEIGHTINGS)[number]): Promise<SampleFigures> {
  const suffix = weighting === 'original' ? '' : `-${weighting}`;
  const synthetic = path.join(out, `synthetic${suffix}.parquet`);
  tabsynth([
    'sample',
    ...['--model', run, '--rows', '26048', '--out', synthetic, '--seed', '1'],
    ...['--conditions', weighting],
  ]);
  const all = CLASSIFIER_SEEDS.map((classifierSeed) => {
    const report =
      weighting === 'original' && classifierSeed === 0
        ? ['--report', path.join(out, 'report.html')]
        : [];
    const text = tabsynth(
      [
        'evaluate',
        ...['--real', path.join(split, 'adult_train.csv')],
        ...['--holdout', path.join(split, 'adult_test.csv')],
        ...['--synthetic', synthetic, '--model', run],
        ...['--target', 'income', '--positive-class', ' >50K'],
        ...['--seed', String(classifierSeed), ...report, '--json'],
      ],
      true,
    );
    writeFileSync(path.join(out, `scores${suffix}-classifier${classifierSeed}.json`), text);
    return JSON.parse(text) as Scores;
  });
  return {
    scores: all[0]!,
    f1: all.map((scores) => scores.usefulness.synthetic.f1),
    auc: all.map((scores) => scores.usefulness.synthetic.auc),
    realF1: all.map((scores) => scores.usefulness.real.f1),
    share: await highIncomeShare(synthetic),
  };
}

/** The share of rows whose income is ' >50K', as a percentage. */
async function highIncomeShare(file: string): Promise<string> {
  const income = (await readTable(file)).getChild('income')!;
  let high = 0;
  for (const value of income) if (value === ' >50K') high += 1;
  return `${((100 * high) / income.length).toFixed(1)} %`;
}

function tabsynth(args: string[], capture = false): string {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/tabsynth.js'), ...args], {
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    console.error(`tabsynth ${args[0]} failed with exit code ${result.status}`);
    process.exit(1);
  }
  return capture ? result.stdout.toString() : '';
}

/** min-max of some scores, with the first (seed 0) in brackets. */
function spread(values: number[]): string {
  return `${fix(Math.min(...values))}-${fix(Math.max(...values))} (seed 0: ${fix(values[0])})`;
}

function fix(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(3) : 'n/a';
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Training time of the run: the `seconds` column of its history.csv, summed over epochs. */
function recordedTrainingSeconds(): number {
  const history = historyFromCsv(readFileSync(path.join(run, 'history.csv'), 'utf8'));
  return history.reduce((sum, record) => sum + record.seconds, 0);
}

await main();
