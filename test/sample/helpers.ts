// Shared helpers of the sampling tests: a small training table made from vega-datasets'
// seattle-weather.csv (plus an id, a True/False boolean and a mostly-null column), tiny model
// bundles (trained for one epoch, or with hand-set output biases), and independent readers.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';

import { writeBundle, type ModelBundle } from '../../src/checkpoint/bundle.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ModelConfig } from '../../src/config/schema.ts';
import { readTable } from '../../src/io/read-table.ts';
import { ConditionSampler } from '../../src/model/condition-sampler.ts';
import { Generator } from '../../src/model/generator.ts';
import { OutputPlan } from '../../src/model/output-plan.ts';
import { TrainedGenerator, generatorDims } from '../../src/model/trained-generator.ts';
import { Trainer } from '../../src/model/trainer.ts';
import { inferMetadata } from '../../src/schema/infer-metadata.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { validateMetadata } from '../../src/schema/validate-metadata.ts';
import { TableTransformer } from '../../src/transform/table-transformer.ts';
import { Rng } from '../../src/util/rng.ts';
import { useBackend } from '../backend/helpers.ts';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Small network sizes: tests are about the pipeline, not the model's quality. */
export const TINY_MODEL: ModelConfig = {
  ...DEFAULT_CONFIG.model,
  noiseDim: 8,
  generatorDims: [16, 16],
  discriminatorDims: [16],
  pac: 2,
};

/** The training table and what the transformer learned from it. */
export interface TrainingData {
  table: arrow.Table;
  metadata: TableMetadata;
  transformer: TableTransformer;
  /** Share of nulls in the column 'gust'. */
  gustNullShare: number;
}

/**
 * seattle-weather.csv (1,461 rows) with three more columns, written as CSV and read back as
 * tabsynth reads files: `id` (1, 2, ...), `windy` (True/False, so the spelling is recorded),
 * `gust` (the wind on rainy days, empty on the others: ~44 % nulls).
 * @param dir a temporary directory for the CSV
 */
export async function weatherData(dir: string): Promise<TrainingData> {
  const source = path.join(repoRoot, 'node_modules/vega-datasets/data/seattle-weather.csv');
  const lines = readFileSync(source, 'utf8').trim().split('\n');
  const out = [`id,${lines[0]},windy,gust`];
  lines.slice(1).forEach((line, index) => {
    const fields = line.split(',');
    const wind = Number(fields[4]);
    const gust = fields[5] === 'rain' ? String(wind) : '';
    out.push(`${index + 1},${line},${wind > 4 ? 'True' : 'False'},${gust}`);
  });
  const file = path.join(dir, 'weather.csv');
  writeFileSync(file, `${out.join('\n')}\n`);

  const table = await readTable(file);
  const inferred = inferMetadata(table);
  const columns = inferred.columns.map((column) =>
    column.name === 'id' ? { name: 'id', type: 'id' as const } : column,
  );
  const metadata = validateMetadata({ ...inferred, columns }, table, { data: file });
  const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 7);
  const gust = table.getChild('gust')!;
  return { table, metadata, transformer, gustNullShare: gust.nullCount / gust.length };
}

/**
 * A bundle trained for one epoch with TINY_MODEL on the wasm backend, written to `dir`.
 * @returns the bundle folder
 */
export async function trainedBundle(dir: string, data: TrainingData): Promise<string> {
  await useBackend('wasm');
  const matrix = data.transformer.transform(data.table, new Rng(3));
  const trainer = new Trainer(data.transformer.layout, matrix, {
    model: TINY_MODEL,
    training: { ...DEFAULT_CONFIG.training, batchSize: 100, epochs: 1, seed: 5 },
  });
  try {
    await trainer.trainEpoch();
    return await saveBundle(dir, data, trainer.exportGenerator());
  } finally {
    trainer.dispose();
  }
}

/**
 * A bundle whose generator ignores its inputs: output weights 0 and output biases set so
 * that every softmax span's probabilities are `probabilities(span)` (the biases are their
 * logarithms) and every tanh column's value is tanh(0) = 0.
 * @param probabilities per span of the layout (in layout order), its category probabilities
 * @returns the bundle folder
 */
export async function handSetBundle(
  dir: string,
  data: TrainingData,
  probabilities: (span: { column: string; role: string; width: number }) => number[],
): Promise<string> {
  await useBackend('wasm');
  const layout = data.transformer.layout;
  const generator = new Generator(generatorDims(TINY_MODEL, layout), new Rng(1));
  const plan = new OutputPlan(layout);
  const layoutBias = new Float32Array(layout.dataDim);
  for (const span of layout.spans) {
    if (span.activation !== 'softmax') continue;
    probabilities(span).forEach((p, k) => (layoutBias[span.start + k] = Math.log(p)));
  }
  const internalBias = Float32Array.from(plan.layoutColumn, (column) => layoutBias[column]!);
  const weights = [...generator.parameters().toArrays(), ...generator.buffers().toArrays()].map(
    (entry) => {
      if (entry.name === 'generator.output.weight') entry.values.fill(0);
      if (entry.name === 'generator.output.bias') entry.values.set(internalBias);
      return entry;
    },
  );
  generator.dispose();
  const trained = TrainedGenerator.fromExport({
    formatVersion: 1,
    model: TINY_MODEL,
    layout,
    // Rows per category or mode, as training counts them (ConditionSampler.counts).
    categoryCounts: ConditionSampler.fromData(
      layout,
      data.transformer.transform(data.table, new Rng(3)),
    ).counts,
    weights,
  });
  try {
    return await saveBundle(dir, data, trained.toExport());
  } finally {
    trained.dispose();
  }
}

/** Writes a bundle folder `dir/model` and returns its path. */
async function saveBundle(
  dir: string,
  data: TrainingData,
  generator: ModelBundle['generator'],
): Promise<string> {
  const bundleDir = path.join(dir, 'model');
  await writeBundle(bundleDir, {
    generator,
    transformer: data.transformer.toJSON(),
    metadata: data.metadata,
    training: {
      epochs: 1,
      epochsPlanned: 1,
      rows: data.table.numRows,
      seed: 5,
      backend: 'wasm',
      device: 'test',
      seconds: 0,
      lastEpoch: null,
      dataPath: 'weather.csv',
    },
  });
  return bundleDir;
}

/** The rows of a Parquet file as read by hyparquet (an independent reader). */
export async function readParquetRows(file: string): Promise<Record<string, unknown>[]> {
  const buffer = await asyncBufferFromFile(file);
  return (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
}

/** The records of a CSV file as read by csv-parse (header row as keys, text values). */
export function readCsvRows(file: string): Record<string, string>[] {
  return parse(readFileSync(file), { columns: true }) as Record<string, string>[];
}

/** An Arrow IPC file read by apache-arrow. */
export function readArrowTable(file: string): arrow.Table {
  return arrow.tableFromIPC(readFileSync(file));
}
