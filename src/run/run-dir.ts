// The layout of a run directory: everything needed to resume or sample, and nothing else.
//   config.json        the effective configuration (defaults < file < flags)
//   metadata.json      the metadata used (given, or inferred: edit it and train again)
//   transformer.json   the fitted transformer
//   run.json           provenance: tabsynth version, data fingerprint, backend, start time
//   history.csv/.svg   per-epoch losses, rewritten after every epoch
//   checkpoints/       the newest training.keepCheckpoints checkpoints (see src/checkpoint)
//   model/             the model bundle sampling needs, rewritten with each checkpoint
//   evaluation.json    scores of the final model when evaluation.rows > 0
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { exists } from '../checkpoint/atomic.ts';
import { CheckpointStore } from '../checkpoint/store.ts';

/** run.json: where the run came from. */
export interface RunProvenance {
  tabsynthVersion: string;
  createdAt: string;
  data: DataFingerprint;
  backend: string;
  device: string;
}

/** Identifies the training table's file, to warn when a resumed run reads a changed one. */
export interface DataFingerprint {
  path: string;
  bytes: number;
  sha256: string;
}

/** Paths inside one run directory. */
export class RunDirectory {
  readonly checkpoints: CheckpointStore;

  /** @param dir the run directory (need not exist yet) */
  constructor(readonly dir: string) {
    this.checkpoints = new CheckpointStore(dir);
  }

  get configFile(): string {
    return path.join(this.dir, 'config.json');
  }
  get metadataFile(): string {
    return path.join(this.dir, 'metadata.json');
  }
  get transformerFile(): string {
    return path.join(this.dir, 'transformer.json');
  }
  get provenanceFile(): string {
    return path.join(this.dir, 'run.json');
  }
  get modelDir(): string {
    return path.join(this.dir, 'model');
  }
  get evaluationFile(): string {
    return path.join(this.dir, 'evaluation.json');
  }
  get reportFile(): string {
    return path.join(this.dir, 'report.html');
  }

  /** Whether the folder already holds a run (a config or checkpoints). */
  async holdsRun(): Promise<boolean> {
    return (await exists(this.configFile)) || (await exists(this.checkpoints.dir));
  }

  /** Creates the folder (and parents). */
  async create(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }
}

/** Size and SHA-256 of a file, streamed (about 1 GB/s). */
export async function fingerprintFile(file: string): Promise<DataFingerprint> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { path: path.resolve(file), bytes, sha256: hash.digest('hex') };
}
