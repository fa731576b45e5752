// Quality benchmark on Adult, as the CTGAN paper's comparisons are made: train on the 80%
// split (../shared/data/adult-split/adult_train.csv, 26,048 rows) with the paper's defaults
// (300 epochs, batch 500), sample as many rows, and score them against the unseen 20%
// (adult_test.csv) with `tabsynth evaluate`. Uses the real command line throughout.
// Run: npx tsx scripts/bench-quality.ts [--epochs N] [--seed S] [--average-decay D] [--out DIR]
// (training seed S, default 0; GAN runs differ by seed, so compare figures over several; D sets
// training.generatorAverageDecay, default the config default, 0 samples the last weights).
// A finished run is reused; a stopped one is resumed. Figures go to stdout and OUT/scores.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { readTable } from '../src/io/read-table.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const split = path.resolve(root, '../shared/data/adult-split');
const epochs = Number(flag('--epochs') ?? 300);
const seed = Number(flag('--seed') ?? 0);
const averageDecay = flag('--average-decay');
const defaultOut =
  `bench-out/adult-quality-${epochs}${seed === 0 ? '' : `-seed${seed}`}` +
  `${averageDecay === undefined ? '' : `-average${averageDecay}`}`;
const out = path.resolve(flag('--out') ?? path.join(root, defaultOut));
const run = path.join(out, 'run');

// The Python CTGAN at its defaults on this split (../shared/data/README.md).
const REFERENCE = { columnShapes: 0.851, columnPairTrends: 0.822, quality: 0.836, f1: 0.664 };

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
      `training: {epochs: ${epochs}, seed: ${seed}, checkpointEvery: 10` +
        `${averageDecay === undefined ? '' : `, generatorAverageDecay: ${Number(averageDecay)}`}}`,
      `output: {dir: ${run}}`,
    ].join('\n'),
  );

  const started = performance.now();
  if (existsSync(path.join(run, 'config.json'))) tabsynth(['train', '--resume', run]);
  else tabsynth(['train', '--config', config]);
  const trainSeconds = (performance.now() - started) / 1000;

  const synthetic = path.join(out, 'synthetic.parquet');
  tabsynth(['sample', '--model', run, '--rows', '26048', '--out', synthetic, '--seed', '1']);
  const scoresFile = path.join(out, 'scores.json');
  const evaluation = tabsynth(
    [
      'evaluate',
      '--real',
      path.join(split, 'adult_train.csv'),
      '--holdout',
      path.join(split, 'adult_test.csv'),
      '--synthetic',
      synthetic,
      '--model',
      run,
      '--target',
      'income',
      '--positive-class',
      ' >50K',
      '--report',
      path.join(out, 'report.html'),
      '--json',
    ],
    true,
  );
  writeFileSync(scoresFile, evaluation);
  const result = JSON.parse(evaluation) as {
    quality: { score: number; columnShapes: number; columnPairTrends: number };
    columnShapes: { column: string; score: number }[];
    usefulness: { synthetic: { f1: number; accuracy: number }; real: { f1: number } };
  };
  const shape = (column: string): string =>
    result.columnShapes.find((c) => c.column === column)?.score.toFixed(3) ?? 'n/a';
  console.log(`\nAdult, ${epochs} epochs (training ${(trainSeconds / 60).toFixed(1)} min here):`);
  console.log('| figure | tabsynth | Python CTGAN |');
  console.log('| --- | --- | --- |');
  console.log(
    `| Column Shapes | ${fix(result.quality.columnShapes)} | ${REFERENCE.columnShapes} |`,
  );
  console.log(
    `| Column Pair Trends | ${fix(result.quality.columnPairTrends)} | ` +
      `${REFERENCE.columnPairTrends} |`,
  );
  console.log(`| Quality | ${fix(result.quality.score)} | ${REFERENCE.quality} |`);
  console.log(
    `| F1 (>50K), trained on synthetic | ${fix(result.usefulness.synthetic.f1)} | ` +
      `${REFERENCE.f1} |`,
  );
  console.log(`| F1 (>50K), trained on real | ${fix(result.usefulness.real.f1)} | 0.685 |`);
  console.log(`| capital-gain shape | ${shape('capital-gain')} | 0.52 |`);
  console.log(`| capital-loss shape | ${shape('capital-loss')} | 0.61 |`);
  console.log(`| >50K share of the rows | ${await highIncomeShare(synthetic)} | real 24.1 % |`);
  console.log(`scores: ${scoresFile}; report: ${path.join(out, 'report.html')}`);
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

function fix(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(3) : 'n/a';
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

await main();
