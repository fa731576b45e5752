// `tabsynth inspect`: what a model holds (columns, layout, network sizes) and how it was
// trained (epochs, rows, seed, backend, time, last losses), plus the run's checkpoints.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readBundle, resolveBundleDir } from '../checkpoint/bundle.ts';
import { CheckpointStore } from '../checkpoint/store.ts';
import type { DataLayout } from '../transform/layout.ts';
import { formatDuration } from './progress.ts';

/** Options of inspectModel, as the CLI passes them. */
export interface InspectModelOptions {
  model: string;
  json: boolean;
}

/** Prints a description of the model at `options.model` (run directory or bundle folder). */
export async function inspectModel(options: InspectModelOptions): Promise<void> {
  const bundleDir = await resolveBundleDir(options.model);
  const bundle = await readBundle(bundleDir);
  const runDir = path.basename(bundleDir) === 'model' ? path.dirname(bundleDir) : null;
  const checkpoints = runDir === null ? [] : await new CheckpointStore(runDir).list();
  const { generator, training, metadata } = bundle;
  const parameters = generator.weights.reduce((sum, array) => sum + array.values.length, 0);
  const bytes = await folderBytes(bundleDir);
  const description = {
    bundle: bundleDir,
    bundleBytes: bytes,
    training,
    columns: metadata.columns.map(({ name, type }) => ({ name, type })),
    layout: {
      dataDim: generator.layout.dataDim,
      condDim: generator.layout.condDim,
      spans: generator.layout.spans.length,
      // The condition vector's discrete variables: discrete columns, and numeric columns
      // whose modes are conditions (transform.conditionOnModes).
      conditionColumns: generator.layout.discrete.length,
      conditionModeColumns: modeConditions(generator.layout),
    },
    network: {
      noiseDim: generator.model.noiseDim,
      generatorDims: generator.model.generatorDims,
      discriminatorDims: generator.model.discriminatorDims,
      pac: generator.model.pac,
      generatorValues: parameters,
    },
    checkpoints: checkpoints.map(({ name, epoch, step }) => ({ name, epoch, step })),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(description, null, 2)}\n`);
    return;
  }
  const last = training.lastEpoch;
  const lines = [
    `model bundle ${bundleDir} (${(bytes / 1024).toFixed(0)} KiB)`,
    `trained ${training.epochs}/${training.epochsPlanned} epochs on ${training.rows} rows of ` +
      `${training.dataPath}`,
    `seed ${training.seed}, backend ${training.backend} on ${training.device}, ` +
      `${formatDuration(training.seconds)} of training`,
    last === null
      ? 'no finished epoch yet'
      : `last epoch: generator loss ${fixed(last.generatorLoss)}, discriminator loss ` +
        `${fixed(last.discriminatorLoss)}, gradient penalty ${fixed(last.gradientPenalty)}`,
    (training.generatorAverageDecay ?? 0) > 0
      ? `generator weights: the average over training steps (decay ` +
        `${training.generatorAverageDecay})`
      : 'generator weights: as at the last step (no averaging)',
    `network: noise ${generator.model.noiseDim}, generator [${generator.model.generatorDims}], ` +
      `discriminator [${generator.model.discriminatorDims}], pac ${generator.model.pac}; ` +
      `${parameters} generator values`,
    `data row width ${generator.layout.dataDim}, condition width ${generator.layout.condDim} ` +
      `(${generator.layout.discrete.length} columns, ${modeConditions(generator.layout)} of ` +
      'them numeric columns conditioned by mode)',
    `columns (${metadata.columns.length}):`,
    ...metadata.columns.map((column) => `  ${column.name}  ${column.type}`),
  ];
  if (runDir !== null) {
    lines.push(
      checkpoints.length === 0
        ? 'checkpoints: none'
        : `checkpoints: ${checkpoints.map((c) => c.name).join(', ')}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function fixed(value: number | undefined): string {
  return value === undefined ? '?' : value.toFixed(4);
}

async function folderBytes(dir: string): Promise<number> {
  const names = await fs.readdir(dir);
  const sizes = await Promise.all(
    names.map(async (name) => (await fs.stat(path.join(dir, name))).size),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** How many of the layout's conditions are numeric columns' modes. */
function modeConditions(layout: DataLayout): number {
  const modeStarts = new Set(
    layout.spans.filter((span) => span.role === 'mode').map((span) => span.start),
  );
  return layout.discrete.filter((entry) => modeStarts.has(entry.dataStart)).length;
}
