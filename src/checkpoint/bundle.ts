// The model bundle: everything sampling needs and nothing else (generator weights, the
// fitted transformer, the metadata, a format version), in a folder of two files: bundle.json
// and generator.bin. Written atomically at each checkpoint and at the end of training.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GeneratorExport } from '../model/trained-generator.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { CheckpointError } from '../util/errors.ts';
import { exists, recoverReplacedDirectory, replaceDirectoryAtomic, sha256 } from './atomic.ts';
import { packArrays, unpackArrays, type ArrayEntry } from './tensor-pack.ts';

/** Version of the bundle layout; readers refuse newer versions. */
export const BUNDLE_FORMAT_VERSION = 1;

/** How the bundled model was trained, for `tabsynth inspect`. */
export interface TrainingSummary {
  /** Epochs trained when the bundle was written. */
  epochs: number;
  /** Epochs the run was configured for. */
  epochsPlanned: number;
  rows: number;
  seed: number;
  backend: string;
  device: string;
  /** Training seconds so far. */
  seconds: number;
  /** The last epoch's mean losses, if an epoch finished. */
  lastEpoch: Record<string, number> | null;
  /** The table the model learned. */
  dataPath: string;
  /**
   * training.generatorAverageDecay: the bundled weights are the average of the generator's
   * weights over training steps with this decay, or the last weights when 0. Absent in bundles
   * written before tabsynth averaged weights (which hold the last weights).
   */
  generatorAverageDecay?: number;
}

/** What a bundle holds. */
export interface ModelBundle {
  generator: GeneratorExport;
  /** TableTransformer.toJSON() of the fitted transformer. */
  transformer: unknown;
  metadata: TableMetadata;
  training: TrainingSummary;
}

interface BundleManifest {
  format: 'tabsynth-model';
  formatVersion: number;
  createdAt: string;
  training: TrainingSummary;
  metadata: TableMetadata;
  transformer: unknown;
  generator: Omit<GeneratorExport, 'weights'>;
  weights: { file: 'generator.bin'; bytes: number; sha256: string; index: ArrayEntry[] };
}

/**
 * Writes a bundle folder atomically, replacing an older one.
 * @throws CheckpointError naming the folder and the reason (disk full, read-only...)
 */
export async function writeBundle(dir: string, bundle: ModelBundle): Promise<void> {
  const { weights, ...generator } = bundle.generator;
  const { blob, index } = packArrays(weights);
  const manifest: BundleManifest = {
    format: 'tabsynth-model',
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    training: bundle.training,
    metadata: bundle.metadata,
    transformer: bundle.transformer,
    generator,
    weights: { file: 'generator.bin', bytes: blob.byteLength, sha256: sha256(blob), index },
  };
  try {
    await replaceDirectoryAtomic(dir, {
      'generator.bin': blob,
      'bundle.json': JSON.stringify(manifest),
    });
  } catch (error) {
    throw new CheckpointError(
      `Could not write the model bundle ${dir}: ${(error as Error).message}. ` +
        "Free disk space or fix the folder's permissions; the checkpoints are unaffected.",
      { cause: error },
    );
  }
}

/**
 * Finds the bundle folder for `--model PATH`: PATH itself when it holds bundle.json, else
 * PATH/model (a run directory).
 * @throws CheckpointError when neither exists, saying what to pass
 */
export async function resolveBundleDir(given: string): Promise<string> {
  if (await exists(path.join(given, 'bundle.json'))) return given;
  const inRun = path.join(given, 'model');
  await recoverReplacedDirectory(inRun).catch(() => undefined);
  if (await exists(path.join(inRun, 'bundle.json'))) return inRun;
  const what = (await exists(given)) ? 'holds no model bundle' : 'does not exist';
  throw new CheckpointError(
    `${given} ${what}. Pass a run directory written by tabsynth train (it holds model/ once ` +
      'the first checkpoint is written) or a model folder with bundle.json, e.g. ' +
      '--model models/demo.',
  );
}

/**
 * Reads and verifies a bundle folder.
 * @throws CheckpointError when a file is missing, damaged, or of a newer format
 */
export async function readBundle(dir: string): Promise<ModelBundle> {
  const manifestFile = path.join(dir, 'bundle.json');
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as BundleManifest;
  } catch (error) {
    throw new CheckpointError(
      `${manifestFile} cannot be read as JSON (${(error as Error).message}); the bundle is ` +
        'damaged: sample from the run directory again after the next checkpoint, or retrain.',
      { cause: error },
    );
  }
  if (manifest.format !== 'tabsynth-model') {
    throw new CheckpointError(`${manifestFile} is not a tabsynth model bundle.`);
  }
  if (manifest.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new CheckpointError(
      `${manifestFile} has format version ${manifest.formatVersion}, newer than this ` +
        `tabsynth reads (${BUNDLE_FORMAT_VERSION}); upgrade tabsynth.`,
    );
  }
  const weightsFile = path.join(dir, manifest.weights.file);
  const blob = await fs.readFile(weightsFile).catch((error: Error) => {
    throw new CheckpointError(`${weightsFile} cannot be read (${error.message}).`);
  });
  if (blob.byteLength !== manifest.weights.bytes || sha256(blob) !== manifest.weights.sha256) {
    throw new CheckpointError(
      `${weightsFile} fails its size or SHA-256 check: the bundle is damaged. Use the run's ` +
        'newest checkpoint (tabsynth train --resume RUN_DIR rewrites model/) or retrain.',
    );
  }
  return {
    generator: {
      ...manifest.generator,
      weights: unpackArrays(blob, manifest.weights.index, weightsFile),
    },
    transformer: manifest.transformer,
    metadata: manifest.metadata,
    training: manifest.training,
  };
}
