// tabsynth's own version, from package.json (recorded in runs and shown by --version).
import { readFileSync } from 'node:fs';

/** The version field of tabsynth's package.json. */
export const TABSYNTH_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
