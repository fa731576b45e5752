// Validation of a parsed configuration: unknown keys, wrong types and out-of-range values
// are errors that name the key path, the value and what was expected.
import { ConfigError } from '../util/errors.ts';
import { CONFIG_SPEC, type KeySpec } from './spec.ts';

/**
 * Checks a partial configuration object (from a file or from flags) against CONFIG_SPEC.
 * @param value the parsed object
 * @param source where it came from, for messages ('configs/demo.yaml', 'command line')
 * @throws ConfigError naming the first bad key path, its value and what is expected
 */
export function validatePartialConfig(value: unknown, source: string): void {
  if (!isPlainObject(value)) {
    throw new ConfigError(
      `${source}: the configuration must be a mapping of sections (data, model, training, ...),` +
        ` got ${describe(value)}.`,
    );
  }
  for (const [section, body] of Object.entries(value)) {
    const sectionSpec = CONFIG_SPEC[section];
    if (sectionSpec === undefined) {
      throw new ConfigError(
        `${source}: unknown key '${section}'${suggest(section, Object.keys(CONFIG_SPEC))}. ` +
          `Valid sections: ${Object.keys(CONFIG_SPEC).join(', ')}.`,
      );
    }
    if (!isPlainObject(body)) {
      throw new ConfigError(
        `${source}: '${section}' must be a mapping of keys, got ${describe(body)}.`,
      );
    }
    for (const [key, item] of Object.entries(body)) {
      const spec = sectionSpec[key];
      const keyPath = `${section}.${key}`;
      if (spec === undefined) {
        throw new ConfigError(
          `${source}: unknown key '${keyPath}'${suggest(key, Object.keys(sectionSpec))}. ` +
            `Valid keys in '${section}': ${Object.keys(sectionSpec).join(', ')}.`,
        );
      }
      const problem = checkValue(item, spec);
      if (problem !== null) {
        throw new ConfigError(
          `${source}: '${keyPath}' is ${describe(item)}, but it must be ${problem}.`,
        );
      }
    }
  }
}

// Returns null when the value fits, else what was expected, in words.
function checkValue(value: unknown, spec: KeySpec): string | null {
  const nullable = 'nullable' in spec && spec.nullable === true;
  if (value === null) return nullable ? null : expected(spec);
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string' && value.length > 0 ? null : expected(spec);
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? null : expected(spec);
    case 'boolean':
      return typeof value === 'boolean' ? null : expected(spec);
    case 'number':
    case 'integer':
      return typeof value === 'number' && inRange(value, spec) ? null : expected(spec);
    case 'integer[]':
      return Array.isArray(value) &&
        value.length >= (spec.minLength ?? 0) &&
        value.every((v) => Number.isInteger(v) && (v as number) >= (spec.min ?? -Infinity))
        ? null
        : expected(spec);
    case 'number[]':
      return Array.isArray(value) &&
        value.length === spec.length &&
        value.every((v) => typeof v === 'number' && inRange(v, { ...spec, kind: 'number' }))
        ? null
        : expected(spec);
  }
}

function inRange(
  value: number,
  spec: { kind: string; min?: number; max?: number; exclusiveMin?: boolean },
): boolean {
  if (!Number.isFinite(value)) return false;
  if (spec.kind === 'integer' && !Number.isInteger(value)) return false;
  if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) {
    return false;
  }
  return spec.max === undefined || value <= spec.max;
}

/** The expected value of a key, in words, for messages. */
export function expected(spec: KeySpec): string {
  const orNull = 'nullable' in spec && spec.nullable ? ' or null' : '';
  switch (spec.kind) {
    case 'string':
      return `a non-empty string${orNull}`;
    case 'enum':
      return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'number':
    case 'integer': {
      const noun = spec.kind === 'integer' ? 'an integer' : 'a number';
      return `${noun}${range(spec)}${orNull}`;
    }
    case 'integer[]':
      return (
        `a list of integers${spec.min !== undefined ? ` >= ${spec.min}` : ''}` +
        `${spec.minLength ? ` with at least ${spec.minLength} item` : ''}, e.g. [256, 256]`
      );
    case 'number[]':
      return `a list of ${spec.length} numbers${range(spec)}`;
  }
}

function range(spec: { min?: number; max?: number; exclusiveMin?: boolean }): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.exclusiveMin ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/** A short description of a value for messages: 'the string "abc"', 'the number 3'. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `the list ${JSON.stringify(value)}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// " (did you mean 'epochs'?)" when a valid key is within two edits of the given one.
function suggest(given: string, valid: string[]): string {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of valid) {
    const distance = editDistance(given.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === null ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
