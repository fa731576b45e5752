// Benchmark of `tabsynth evaluate` on Adult: 32,561 real rows against 32,561 synthetic rows,
// seconds for fidelity, usefulness and privacy, and the scores. Until the model exists the
// synthetic rows are a stand-in: every column resampled independently (seeded), which keeps
// each column's distribution and destroys every relation between columns.
// Run: npx tsx scripts/bench-evaluate.ts [--seed S] [--report FILE]
//      (needs ../shared/data/adult.csv and adult.json)
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';

import { evaluate, writeReport } from '../src/evaluate/index.ts';
import { readTable } from '../src/io/read-table.ts';
import { loadMetadata } from '../src/schema/load-metadata.ts';
import { configureLogging } from '../src/util/logger.ts';
import { Rng } from '../src/util/rng.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data');
const FIDELITY_GOAL_SECONDS = 5;

async function main(): Promise<void> {
  configureLogging({ level: 'warn' });
  const seed = Number(flag('--seed') ?? 0);
  const reportFile = flag('--report');
  if (!existsSync(path.join(data, 'adult.csv'))) {
    process.stderr.write(`bench-evaluate needs ${data}/adult.csv; it is absent.\n`);
    process.exitCode = 2;
    return;
  }

  const readStart = performance.now();
  const metadata = await loadMetadata(path.join(data, 'adult.json'));
  const real = await readTable(path.join(data, 'adult.csv'), { metadata });
  const readSeconds = (performance.now() - readStart) / 1000;
  const synthetic = resampleColumns(real, real.numRows, seed);

  const result = await evaluate({
    real,
    synthetic,
    metadata,
    target: 'income',
    positiveClass: ' >50K',
    seed,
  });
  const { fidelity, usefulness, privacy } = result.timings;
  const lines = [
    `date            ${new Date().toISOString()}`,
    `machine         ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, ` +
      `node ${process.version}`,
    `rows            ${real.numRows} real vs ${synthetic.numRows} synthetic ` +
      `(each column resampled independently, seed ${seed})`,
    `read csv        ${readSeconds.toFixed(2)} s (not part of the evaluation)`,
    `fidelity        ${fidelity.toFixed(2)} s (goal < ${FIDELITY_GOAL_SECONDS} s: ` +
      `${fidelity < FIDELITY_GOAL_SECONDS ? 'met' : 'MISSED'})`,
    `usefulness      ${usefulness?.toFixed(2)} s`,
    `privacy         ${privacy?.toFixed(2)} s`,
    `column shapes   ${result.quality.columnShapes?.toFixed(4)}`,
    `pair trends     ${result.quality.columnPairTrends?.toFixed(4)} all ` +
      `${result.quality.scoredPairs} pairs, ` +
      `${result.quality.columnPairTrendsImportant?.toFixed(4)} over the ` +
      `${result.quality.importantPairs} pairs that matter (reference 0.92 / 0.76)`,
    `quality         ${result.quality.score?.toFixed(4)}`,
    `usefulness      ${JSON.stringify(result.usefulness?.synthetic)} trained on synthetic`,
    `                ${JSON.stringify(result.usefulness?.real)} trained on real`,
    `privacy         exact copies ${result.privacy?.exactMatchShare}, DCR median ` +
      `${result.privacy?.synthetic.median.toFixed(4)} (held out ` +
      `${result.privacy?.holdout?.median.toFixed(4)}), 5th percentile ` +
      `${result.privacy?.synthetic.percentile5.toFixed(4)} (held out ` +
      `${result.privacy?.holdout?.percentile5.toFixed(4)})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  if (reportFile !== undefined) {
    const reportStart = performance.now();
    await writeReport(result, reportFile, { title: 'Adult: independent-sampling baseline' });
    const seconds = (performance.now() - reportStart) / 1000;
    process.stdout.write(`report          ${seconds.toFixed(2)} s, ${reportFile}\n`);
  }
}

// Every column drawn with replacement from the real column, independently of the others.
function resampleColumns(table: arrow.Table, rows: number, seed: number): arrow.Table {
  const rng = new Rng(seed).fork('resample');
  const vectors: Record<string, arrow.Vector> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    const values = Array.from({ length: rows }, () => column.get(rng.int(table.numRows)));
    vectors[field.name] = arrow.vectorFromArray(values, field.type);
  }
  return new arrow.Table(vectors);
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

// Errors are printed here: once tfjs' wasm backend has loaded, an uncaught error would be
// rethrown by the handler Emscripten installs, which prints a 20 KB minified line instead.
try {
  await main();
} catch (error) {
  process.stderr.write(`bench-evaluate failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
