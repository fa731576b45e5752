// Benchmark of the TableTransformer: fit and transform of Adult and of a one-million-row
// table made by repeating Adult, inverse of a million rows, and the mixture's modes per
// Adult column next to scikit-learn's. Run: npx tsx scripts/bench-transform.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';

import { DEFAULT_CONFIG } from '../src/config/defaults.ts';
import { readTable } from '../src/io/read-table.ts';
import type { TableMetadata } from '../src/schema/metadata.ts';
import { TableTransformer } from '../src/transform/table-transformer.ts';
import type { ColumnSummary, ModeSummary } from '../src/transform/transformer-json.ts';
import { configureLogging } from '../src/util/logger.ts';
import { Rng } from '../src/util/rng.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = process.env.TABSYNTH_DATA ?? path.resolve(ROOT, '../shared/data');
const MILLION = 1_000_000;

interface SklearnRun {
  random_state: number;
  valid_components: number;
  components: { weight: number; mean: number; std: number }[];
}

/** Seconds since `started`, to 3 decimals. */
function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(3);
}

/** Peak resident memory of the process so far, in MiB. */
function peakMiB(): string {
  return (process.resourceUsage().maxRSS / 1024).toFixed(0);
}

/** Fits and transforms `table`; prints the timings and returns the transformer and matrix. */
function fitAndTransform(label: string, table: arrow.Table, metadata: TableMetadata) {
  const fitStart = performance.now();
  const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 0);
  const fitSeconds = seconds(fitStart);
  const transformStart = performance.now();
  const matrix = transformer.transform(table, new Rng(1));
  const transformSeconds = seconds(transformStart);
  const total = seconds(fitStart);
  console.log(
    `${label}: rows ${table.numRows}, dataDim ${matrix.cols}; fit ${fitSeconds} s, ` +
      `transform ${transformSeconds} s, fit+transform ${total} s; peak RSS ${peakMiB()} MiB`,
  );
  return { transformer, matrix };
}

/** One markdown row per numeric column: our modes against sklearn's (random_state 0). */
function modeTable(summaries: ColumnSummary[], reference: Record<string, SklearnRun[]>): void {
  console.log('\n| column | tabsynth modes (weight: mean or =value) | sklearn (rs 0..2 kept) |');
  console.log('| --- | --- | --- |');
  for (const summary of summaries) {
    if (summary.modes === undefined) continue;
    const ours = summary.modes.map(describeMode).join(', ');
    const runs = reference[summary.name] ?? [];
    const kept = runs.map((run) => run.valid_components).join('/');
    const first = runs[0]?.components.map(
      (c) => `${c.weight.toFixed(3)}: ${c.mean.toPrecision(4)}`,
    );
    const modes = `${summary.modes.length} modes: ${ours}`;
    console.log(`| ${summary.name} | ${modes} | ${kept}: ${first?.join(', ')} |`);
  }
}

/** A mode as 'weight: mean' or 'weight: =value', coverage components marked '(cov)'. */
function describeMode(mode: ModeSummary): string {
  const weight = mode.weight.toFixed(3);
  if (mode.kind === 'point') return `${weight}: =${mode.value}`;
  const mean = mode.mean!.toPrecision(4);
  return mode.kind === 'coverage' ? `${weight}: ${mean} (cov)` : `${weight}: ${mean}`;
}

async function main(): Promise<void> {
  configureLogging({ level: 'warn' });
  const metadata = JSON.parse(
    fs.readFileSync(path.join(DATA, 'adult.json'), 'utf8'),
  ) as TableMetadata;
  for (const column of metadata.columns) {
    if (['workclass', 'occupation', 'native-country'].includes(column.name)) {
      column.missingValues = [' ?'];
    }
  }
  console.log(`bench-transform, ${new Date().toISOString()}, node ${process.version}`);

  const readStart = performance.now();
  const adult = await readTable(path.join(DATA, 'adult.csv'), { metadata });
  console.log(`read adult.csv: ${seconds(readStart)} s (not counted below)`);
  const { transformer } = fitAndTransform('Adult', adult, metadata);

  // A million rows: Adult's batches repeated (no copy), cut at 1,000,000.
  const repeats = Math.ceil(MILLION / adult.numRows);
  const batches = Array.from({ length: repeats }, () => adult.batches).flat();
  const million = new arrow.Table(batches).slice(0, MILLION);
  const big = fitAndTransform('Adult x 31', million, metadata);

  const inverseStart = performance.now();
  const decoded = big.transformer.inverse(big.matrix);
  console.log(
    `inverse of ${decoded.numRows} transformed rows: ${seconds(inverseStart)} s; ` +
      `peak RSS ${peakMiB()} MiB`,
  );
  // A generator's output is not one-hot: every entry random, so argmax branches mispredict.
  new Rng(2).fillUniform(big.matrix.data);
  const randomStart = performance.now();
  big.transformer.inverse(big.matrix, { idStart: MILLION });
  console.log(`inverse of ${MILLION} random rows: ${seconds(randomStart)} s`);

  const referenceFile = path.join(DATA, 'reference/bgm-sklearn.json');
  if (fs.existsSync(referenceFile)) {
    const reference = JSON.parse(fs.readFileSync(referenceFile, 'utf8')) as {
      columns: Record<string, SklearnRun[]>;
    };
    modeTable(transformer.describe(), reference.columns);
  }
}

await main();
