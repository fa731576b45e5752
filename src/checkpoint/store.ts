// The checkpoints of a run: written atomically into RUN_DIR/checkpoints/, one folder each,
// every file checksummed in a self-checked manifest; the newest K are kept, and loading
// falls back past damaged ones to the newest valid checkpoint.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CheckpointError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import { isTemporaryName, sha256, writeDirectoryAtomic } from './atomic.ts';
import { packArrays, unpackArrays, type ArrayEntry, type NamedArray } from './tensor-pack.ts';

const log = getLogger('checkpoint');

/** Version of the checkpoint layout; readers refuse newer versions. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** What a checkpoint holds: the trainer's tensors and JSON state, and the run's context. */
export interface CheckpointContent {
  /** Epochs completed when the checkpoint was taken. */
  epoch: number;
  /** Steps completed within the current epoch (0 at an epoch boundary). */
  step: number;
  /** Backend that wrote it, e.g. 'wasm'. */
  backend: string;
  /** Every tensor the next step depends on (weights, BatchNorm statistics, Adam moments). */
  tensors: NamedArray[];
  /** JSON state of the trainer (random streams, optimizer step counts, loss history). */
  trainer: unknown;
  /** The effective run configuration. */
  config: unknown;
  /** The table metadata. */
  metadata: unknown;
  /** The fitted transformer. */
  transformer: unknown;
}

/** The manifest.json of a checkpoint folder. */
interface Manifest {
  format: 'tabsynth-checkpoint';
  formatVersion: number;
  createdAt: string;
  backend: string;
  epoch: number;
  step: number;
  files: Record<string, { bytes: number; sha256: string }>;
  tensors: ArrayEntry[];
  /** SHA-256 of this manifest serialized with `checksum` set to ''. */
  checksum: string;
}

/** A checkpoint found on disk. */
export interface CheckpointInfo {
  name: string;
  dir: string;
  epoch: number;
  step: number;
}

const JSON_FILES = ['trainer.json', 'config.json', 'metadata.json', 'transformer.json'] as const;
const NAME_PATTERN = /^ckpt-e(\d{6,})-s(\d{6,})$/;

/** Reads and writes the checkpoints of one run directory. */
export class CheckpointStore {
  /** RUN_DIR/checkpoints */
  readonly dir: string;

  /** @param runDir the run directory; checkpoints live in its `checkpoints/` folder */
  constructor(runDir: string) {
    this.dir = path.join(runDir, 'checkpoints');
  }

  /**
   * Writes a checkpoint atomically, then removes all but the newest `keep`.
   * @returns where it was written
   * @throws CheckpointError naming the folder and the reason (disk full, read-only...);
   *   earlier checkpoints are untouched
   */
  async write(content: CheckpointContent, keep: number): Promise<CheckpointInfo> {
    const name = checkpointName(content.epoch, content.step);
    const dir = path.join(this.dir, name);
    const { blob, index } = packArrays(content.tensors);
    const files: Record<string, Uint8Array | string> = {
      'tensors.bin': blob,
      'trainer.json': JSON.stringify(content.trainer),
      'config.json': JSON.stringify(content.config, null, 2),
      'metadata.json': JSON.stringify(content.metadata, null, 2),
      'transformer.json': JSON.stringify(content.transformer),
    };
    const manifestBase = {
      format: 'tabsynth-checkpoint' as const,
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      backend: content.backend,
      epoch: content.epoch,
      step: content.step,
      files: Object.fromEntries(
        Object.entries(files).map(([file, data]) => [
          file,
          {
            bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
            sha256: sha256(data),
          },
        ]),
      ),
      tensors: index,
    };
    const manifest: Manifest = { ...manifestBase, checksum: manifestChecksum(manifestBase) };
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.rm(dir, { recursive: true, force: true });
      await writeDirectoryAtomic(dir, {
        ...files,
        'manifest.json': JSON.stringify(manifest, null, 1),
      });
    } catch (error) {
      throw new CheckpointError(
        `Could not write checkpoint ${dir}: ${(error as Error).message}. ` +
          "Earlier checkpoints are untouched; free disk space or fix the folder's permissions, " +
          'then resume with tabsynth train --resume.',
        { cause: error },
      );
    }
    await this.prune(keep);
    return { name, dir, epoch: content.epoch, step: content.step };
  }

  /** The checkpoints on disk, newest first (not verified). Removes crash leftovers. */
  async list(): Promise<CheckpointInfo[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const found: CheckpointInfo[] = [];
    for (const name of names) {
      if (isTemporaryName(name)) {
        log.warn('removing an unfinished checkpoint left by a crash', { path: name });
        await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
        continue;
      }
      const match = NAME_PATTERN.exec(name);
      if (match) {
        found.push({
          name,
          dir: path.join(this.dir, name),
          epoch: Number(match[1]),
          step: Number(match[2]),
        });
      }
    }
    return found.sort((a, b) => b.epoch - a.epoch || b.step - a.step);
  }

  /**
   * Loads the newest checkpoint that passes every check; damaged ones are skipped with a
   * warning naming them.
   * @throws CheckpointError when there is none, or none is valid (listing what was tried)
   */
  async loadNewestValid(): Promise<{ info: CheckpointInfo; content: CheckpointContent }> {
    const candidates = await this.list();
    if (candidates.length === 0) {
      throw new CheckpointError(
        `No checkpoint in ${this.dir}. A run writes one every training.checkpointEvery ` +
          'epochs and when stopped by Ctrl-C or SIGTERM; start a new run with tabsynth train ' +
          '--config.',
      );
    }
    const tried: string[] = [];
    for (const info of candidates) {
      try {
        return { info, content: await readCheckpoint(info.dir) };
      } catch (error) {
        const reason = (error as Error).message;
        log.warn(`skipping damaged checkpoint ${info.name}: ${reason}`, { checkpoint: info.dir });
        tried.push(`${info.name}: ${reason}`);
      }
    }
    throw new CheckpointError(
      `No valid checkpoint in ${this.dir}; tried:\n  ${tried.join('\n  ')}\n` +
        'Start a new run with tabsynth train --config.',
    );
  }

  private async prune(keep: number): Promise<void> {
    const all = await this.list();
    for (const stale of all.slice(keep)) {
      await fs.rm(stale.dir, { recursive: true, force: true });
    }
  }
}

/** Folder name of the checkpoint at `epoch` and `step`, e.g. ckpt-e000010-s000000. */
export function checkpointName(epoch: number, step: number): string {
  return `ckpt-e${String(epoch).padStart(6, '0')}-s${String(step).padStart(6, '0')}`;
}

/**
 * Reads and verifies one checkpoint folder: the manifest's own checksum, then the size and
 * SHA-256 of every file.
 * @throws CheckpointError saying what is wrong
 */
export async function readCheckpoint(dir: string): Promise<CheckpointContent> {
  const manifest = await readManifest(dir);
  const contents: Record<string, Buffer> = {};
  for (const [file, expected] of Object.entries(manifest.files)) {
    const data = await fs.readFile(path.join(dir, file)).catch((error: Error) => {
      throw new CheckpointError(`${file} cannot be read (${error.message})`);
    });
    if (data.byteLength !== expected.bytes) {
      throw new CheckpointError(
        `${file} is ${data.byteLength} bytes, the manifest says ${expected.bytes} (truncated?)`,
      );
    }
    if (sha256(data) !== expected.sha256) {
      throw new CheckpointError(`${file} fails its SHA-256 check (damaged)`);
    }
    contents[file] = data;
  }
  for (const file of ['tensors.bin', ...JSON_FILES]) {
    if (contents[file] === undefined) throw new CheckpointError(`the manifest lists no ${file}`);
  }
  const json = (file: string): unknown => JSON.parse(contents[file]!.toString('utf8'));
  return {
    epoch: manifest.epoch,
    step: manifest.step,
    backend: manifest.backend,
    tensors: unpackArrays(
      contents['tensors.bin']!,
      manifest.tensors,
      path.join(dir, 'tensors.bin'),
    ),
    trainer: json('trainer.json'),
    config: json('config.json'),
    metadata: json('metadata.json'),
    transformer: json('transformer.json'),
  };
}

async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch (error) {
    throw new CheckpointError(`manifest.json cannot be read (${(error as Error).message})`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new CheckpointError('manifest.json is not valid JSON (truncated or damaged)');
  }
  const { checksum, ...rest } = manifest;
  if (manifest.format !== 'tabsynth-checkpoint' || checksum !== manifestChecksum(rest)) {
    throw new CheckpointError('manifest.json fails its checksum (damaged)');
  }
  if (manifest.formatVersion > CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      `format version ${manifest.formatVersion} is newer than this tabsynth reads ` +
        `(${CHECKPOINT_FORMAT_VERSION}); upgrade tabsynth`,
    );
  }
  return manifest;
}

function manifestChecksum(manifest: Omit<Manifest, 'checksum'>): string {
  return sha256(JSON.stringify({ ...manifest, checksum: '' }));
}
