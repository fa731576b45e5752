// Loading a run configuration: defaults < config file (YAML or JSON) < command-line flags,
// resolved in this one place, then validated as a whole.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../util/errors.ts';
import { DEFAULT_CONFIG } from './defaults.ts';
import type { RunConfig } from './schema.ts';
import { PATH_KEYS } from './spec.ts';
import { validatePartialConfig } from './validate.ts';

/** Any subset of a run configuration, as a file or flags give it. */
export type PartialConfig = { [S in keyof RunConfig]?: Partial<RunConfig[S]> };

/**
 * Reads a YAML or JSON config file into a partial configuration, with relative paths
 * resolved against the file's folder.
 * @throws ConfigError when the file is missing, does not parse, or has a bad key or value
 */
export async function loadConfigFile(file: string): Promise<PartialConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : String((error as Error).message);
    throw new ConfigError(
      `Cannot read config file '${file}': ${reason}. ` +
        'Pass an existing YAML or JSON file, e.g. --config configs/demo.yaml.',
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Config file '${file}' does not parse: ${firstLine((error as Error).message)}. ` +
        'Fix the syntax at the place named.',
      { cause: error },
    );
  }
  if (parsed === null || parsed === undefined) parsed = {};
  validatePartialConfig(parsed, file);
  return resolvePaths(parsed as PartialConfig, path.dirname(path.resolve(file)));
}

/**
 * Merges defaults, an optional file's values and flag overrides (in that order of
 * precedence), and validates the result.
 * @param options.file path of a YAML or JSON config file
 * @param options.overrides values from flags; relative paths are taken from the cwd
 * @throws ConfigError for a bad key or value, a missing data path, or inconsistent values
 */
export async function resolveConfig(options: {
  file?: string;
  overrides?: PartialConfig;
}): Promise<RunConfig> {
  const fromFile = options.file ? await loadConfigFile(options.file) : {};
  const fromFlags = flagOverrides(options.overrides ?? {});

  const merged = structuredClone(DEFAULT_CONFIG) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  for (const layer of [fromFile, fromFlags]) {
    for (const [section, values] of Object.entries(layer)) {
      Object.assign(merged[section]!, values);
    }
  }
  const config = merged as unknown as RunConfig;
  checkConsistency(config, options.file);
  return config;
}

/**
 * Validates flag overrides and resolves their relative paths against the working directory.
 * @throws ConfigError for a bad key or value
 */
export function flagOverrides(overrides: PartialConfig): PartialConfig {
  validatePartialConfig(overrides, 'command line');
  return resolvePaths(overrides, process.cwd());
}

/** Checks that go across keys; each message names every key involved. */
export function checkConsistency(config: RunConfig, file?: string): void {
  if (typeof config.data.path !== 'string' || config.data.path.length === 0) {
    const where = file ? `'${file}' sets no data.path` : 'no config file was given';
    throw new ConfigError(
      `No table to train on: ${where}. Set data.path in the config or pass --data FILE, ` +
        'e.g. tabsynth train --config configs/demo.yaml --data my-table.csv.',
    );
  }
  const { batchSize } = config.training;
  const { pac } = config.model;
  if (batchSize % pac !== 0) {
    throw new ConfigError(
      `training.batchSize (${batchSize}) must be a multiple of model.pac (${pac}): ` +
        `use e.g. training.batchSize: ${Math.max(pac, Math.round(batchSize / pac) * pac)}.`,
    );
  }
}

function resolvePaths(config: PartialConfig, base: string): PartialConfig {
  const copy = structuredClone(config) as Record<string, Record<string, unknown>>;
  for (const keyPath of PATH_KEYS) {
    const [section, key] = keyPath.split('.') as [string, string];
    const value = copy[section]?.[key];
    if (typeof value === 'string') copy[section]![key] = path.resolve(base, value);
  }
  return copy as PartialConfig;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
