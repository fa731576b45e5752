// A file written under a temporary name in its final directory and renamed into place only
// when complete, so a reader never sees half a file at the final path: not after an abort,
// not after a crash (a crash leaves only the `.name.tmp-PID-N` file behind).
import { promises as fs, unlinkSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';

const log = getLogger('io');
/** Temporary files of this process not yet committed, removed if the process exits. */
const openTemporaries = new Set<string>();
let exitHookInstalled = false;
let counter = 0;

/** An output file being written; `commit` publishes it, `discard` removes it. */
export class AtomicFile {
  /** Bytes written so far. */
  bytes = 0;
  private closed = false;

  private constructor(
    /** The path the file gets on commit. */
    readonly finalPath: string,
    /** Where it is written meanwhile: `.<name>.tmp-<pid>-<n>` in the same directory. */
    readonly temporaryPath: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /**
   * Creates the temporary file beside `finalPath`.
   * @param finalPath where the finished file goes; its directory must exist
   * @returns the open file
   * @throws UsageError when the directory does not exist or is not writable
   */
  static async create(finalPath: string): Promise<AtomicFile> {
    const directory = path.dirname(path.resolve(finalPath));
    const name = path.basename(finalPath);
    const temporaryPath = path.join(directory, `.${name}.tmp-${process.pid}-${counter++}`);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(temporaryPath, 'w');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'the directory does not exist' : `error ${code}`;
      throw new UsageError(
        `cannot write ${finalPath}: ${reason}; create the directory or choose another --out.`,
        { cause: error },
      );
    }
    installExitHook();
    openTemporaries.add(temporaryPath);
    return new AtomicFile(finalPath, temporaryPath, handle);
  }

  /** Appends bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    this.bytes += bytes.length;
  }

  /** Flushes to disk, closes, and renames the file to its final path. */
  async commit(): Promise<void> {
    this.closed = true;
    await this.handle.sync();
    await this.handle.close();
    await fs.rename(this.temporaryPath, this.finalPath);
    openTemporaries.delete(this.temporaryPath);
  }

  /** Closes and deletes the temporary file; the final path is left untouched. */
  async discard(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close();
    }
    await fs.rm(this.temporaryPath, { force: true });
    openTemporaries.delete(this.temporaryPath);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous. A killed process (SIGKILL) runs none, and then the
  // temporary file stays, under its dot-name, never at the final path.
  process.on('exit', () => {
    for (const temporary of openTemporaries) {
      try {
        unlinkSync(temporary);
      } catch (error) {
        log.warn('could not remove a temporary file', { file: temporary, error: String(error) });
      }
    }
  });
}
