// Which file format a path holds, chosen by its extension, and the checks every reader makes
// before opening a file (it exists, it is a file, it is not empty).
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { InvalidDataError } from '../util/errors.ts';

/** A table format tabsynth reads. `arrow` covers the IPC file and the IPC stream layouts. */
export type ReadFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'json' | 'jsonl';

/** The extensions readTable understands and the format each one means. */
export const READ_EXTENSIONS: Readonly<Record<string, ReadFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.parquet': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.arrows': 'arrow',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/**
 * The format of a table file, from its extension (case-insensitive).
 * @param file the path of the table
 * @returns the format to read it with
 * @throws InvalidDataError naming the extension and listing the supported ones
 */
export function readFormatOf(file: string): ReadFormat {
  const extension = path.extname(file).toLowerCase();
  const format = READ_EXTENSIONS[extension];
  if (format === undefined) {
    const supported = Object.keys(READ_EXTENSIONS).join(', ');
    const shown = extension === '' ? 'no extension' : `extension "${extension}"`;
    throw new InvalidDataError(
      `${file}: ${shown} is not a table format tabsynth reads; ` +
        `supported extensions: ${supported}. Rename the file or convert it to one of these.`,
    );
  }
  return format;
}

/**
 * Checks that `file` exists, is a regular file and is not empty.
 * @param file the path of the table
 * @returns its size in bytes
 * @throws InvalidDataError when it is missing, a directory, or 0 bytes long
 */
export async function checkInputFile(file: string): Promise<number> {
  let stats;
  try {
    stats = await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InvalidDataError(`${file}: no such file; check the path (--data or data.path).`, {
        cause: error,
      });
    }
    throw new InvalidDataError(`${file}: cannot be read (${code ?? String(error)}).`, {
      cause: error,
    });
  }
  if (!stats.isFile()) {
    throw new InvalidDataError(`${file}: is a directory, not a table file; give a file path.`);
  }
  if (stats.size === 0) {
    throw new InvalidDataError(
      `${file}: the file is empty (0 bytes); a table needs a header and at least one row.`,
    );
  }
  return stats.size;
}
