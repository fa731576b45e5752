// Crash-safe file writes: data goes to a temporary name, is fsynced, and only then renamed
// into place, so a reader sees either the old complete file or the new complete one.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** SHA-256 of some bytes, as lowercase hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A temporary name beside `target`, unique to this process: `.name.tmp-<pid>-<n>`. */
export function temporaryPath(target: string): string {
  temporaryCounter += 1;
  const base = path.basename(target);
  return path.join(path.dirname(target), `.${base}.tmp-${process.pid}-${temporaryCounter}`);
}
let temporaryCounter = 0;

/** True for names made by `temporaryPath`, so that leftovers of a crash can be removed. */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.tmp-\d+-\d+$/.test(name);
}

/**
 * Writes `data` to `file` atomically: temporary file, fsync, rename, fsync of the folder.
 * @throws the underlying fs error (ENOSPC, EROFS, EACCES...) after removing the temporary
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = temporaryPath(file);
  try {
    await writeAndSync(temporary, data);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/**
 * Writes a folder of files atomically: all files into a temporary folder, each fsynced,
 * then one rename to `dir`. `dir` must not exist yet.
 * @returns the byte size and SHA-256 of each file written
 */
export async function writeDirectoryAtomic(
  dir: string,
  files: Record<string, Uint8Array | string>,
): Promise<Record<string, { bytes: number; sha256: string }>> {
  const temporary = temporaryPath(dir);
  const written: Record<string, { bytes: number; sha256: string }> = {};
  try {
    await fs.mkdir(temporary); // not recursive: Node reports EROFS as ENOENT then
    for (const [name, data] of Object.entries(files)) {
      await writeAndSync(path.join(temporary, name), data);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      written[name] = { bytes, sha256: sha256(data) };
    }
    await syncDirectory(temporary);
    await fs.rename(temporary, dir);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
  await syncDirectory(path.dirname(dir));
  return written;
}

/**
 * Replaces the folder `dir` by a freshly written one with the same atomicity as
 * writeDirectoryAtomic. Between the two renames `dir` is briefly absent; a crash there
 * leaves `dir.previous`, which `recoverReplacedDirectory` puts back.
 */
export async function replaceDirectoryAtomic(
  dir: string,
  files: Record<string, Uint8Array | string>,
): Promise<Record<string, { bytes: number; sha256: string }>> {
  const fresh = `${dir}.next`;
  const previous = `${dir}.previous`;
  await fs.rm(fresh, { recursive: true, force: true });
  const written = await writeDirectoryAtomic(fresh, files);
  await fs.rm(previous, { recursive: true, force: true });
  const hadOld = await exists(dir);
  if (hadOld) await fs.rename(dir, previous);
  await fs.rename(fresh, dir);
  await syncDirectory(path.dirname(dir));
  if (hadOld) await fs.rm(previous, { recursive: true, force: true });
  return written;
}

/** Undoes a replaceDirectoryAtomic that a crash cut between its two renames. */
export async function recoverReplacedDirectory(dir: string): Promise<void> {
  const previous = `${dir}.previous`;
  if (!(await exists(dir)) && (await exists(previous))) await fs.rename(previous, dir);
  await fs.rm(`${dir}.next`, { recursive: true, force: true });
}

/** Whether a path exists (file or folder). */
export async function exists(target: string): Promise<boolean> {
  try {
    await fs.stat(target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function writeAndSync(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
