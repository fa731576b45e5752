// Loading and saving the metadata JSON. Loading checks the file's shape strictly: unknown
// keys, unknown types and misplaced options are errors that name their key path, because a
// misspelt option silently ignored would change what is learned.
import { promises as fs } from 'node:fs';

import { AtomicFile } from '../io/atomic-file.ts';
import { InvalidMetadataError } from '../util/errors.ts';
import { checkDatetimeFormat } from './datetime.ts';
import {
  COLUMN_TYPES,
  type ColumnMetadata,
  type ColumnType,
  type TableMetadata,
} from './metadata.ts';

const TABLE_KEYS = ['columns', 'target', 'positiveClass', 'positive_class'];
const COLUMN_KEYS = ['name', 'type', 'order', 'format', 'missingValues', 'integer', 'extrapolate'];
/** The column types each optional key applies to. */
const KEY_TYPES: Readonly<Record<string, readonly ColumnType[]>> = {
  order: ['ordinal'],
  format: ['datetime'],
  integer: ['continuous'],
  extrapolate: ['continuous', 'datetime'],
};

/**
 * Reads and checks a metadata JSON file (the format of CTGAN's adult.json, plus the
 * optional keys of ColumnMetadata and `target`/`positiveClass`; `positive_class` is
 * accepted as an alias of `positiveClass`).
 * @param file path of the JSON file
 * @returns the metadata
 * @throws InvalidMetadataError naming the file and key path for a missing file, invalid
 *   JSON, unknown keys, unknown types, wrongly typed values and duplicated column names
 */
export async function loadMetadata(file: string): Promise<TableMetadata> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`;
    throw new InvalidMetadataError(`${file}: ${reason}; check the metadata path (--metadata).`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidMetadataError(`${file}: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return parseMetadata(json, file);
}

/**
 * Checks parsed JSON against the metadata format (see loadMetadata).
 * @param json the parsed value
 * @param file where it came from, for messages
 * @returns the metadata, with only the keys that were given
 * @throws InvalidMetadataError as loadMetadata
 */
export function parseMetadata(json: unknown, file: string): TableMetadata {
  const fail = (message: string): never => {
    throw new InvalidMetadataError(`${file}: ${message}`);
  };
  if (!isObject(json)) return fail('the metadata must be a JSON object with a "columns" array.');
  checkKeys(json, TABLE_KEYS, '', fail);
  if (!Array.isArray(json.columns) || json.columns.length === 0) {
    return fail('"columns" must be a non-empty array of {"name": ..., "type": ...} objects.');
  }
  const columns = json.columns.map((entry, index) => parseColumn(entry, `columns[${index}]`, fail));

  const firstIndex = new Map<string, number>();
  columns.forEach((column, index) => {
    const earlier = firstIndex.get(column.name);
    if (earlier !== undefined) {
      fail(
        `columns[${index}].name "${column.name}" repeats columns[${earlier}].name; ` +
          'each column may be listed once.',
      );
    }
    firstIndex.set(column.name, index);
  });

  const metadata: TableMetadata = { columns };
  if (json.target !== undefined) {
    if (typeof json.target !== 'string') fail('"target" must be a column name (a string).');
    if (!firstIndex.has(json.target as string)) {
      fail(`"target" names "${json.target}", which is not in "columns".`);
    }
    metadata.target = json.target as string;
  }
  if (json.positiveClass !== undefined && json.positive_class !== undefined) {
    fail('give "positiveClass" or its alias "positive_class", not both.');
  }
  const positive = json.positiveClass ?? json.positive_class;
  if (positive !== undefined) {
    const key = json.positiveClass !== undefined ? 'positiveClass' : 'positive_class';
    if (typeof positive !== 'string') fail(`"${key}" must be a string (a value of the target).`);
    if (metadata.target === undefined)
      fail(`"${key}" needs "target" to say which column it is of.`);
    metadata.positiveClass = positive as string;
  }
  return metadata;
}

/**
 * Writes metadata as pretty JSON, atomically (a temporary file renamed into place).
 * @param file the path to write
 * @param metadata the metadata; keys are written in a fixed order
 * @throws UsageError when the directory does not exist
 */
export async function saveMetadata(file: string, metadata: TableMetadata): Promise<void> {
  const columns = metadata.columns.map((column) => {
    const ordered: Record<string, unknown> = { name: column.name, type: column.type };
    for (const key of COLUMN_KEYS.slice(2)) {
      const value = column[key as keyof ColumnMetadata];
      if (value !== undefined) ordered[key] = value;
    }
    return ordered;
  });
  const json: Record<string, unknown> = { columns };
  if (metadata.target !== undefined) json.target = metadata.target;
  if (metadata.positiveClass !== undefined) json.positiveClass = metadata.positiveClass;
  const out = await AtomicFile.create(file);
  try {
    await out.write(Buffer.from(`${JSON.stringify(json, null, 2)}\n`, 'utf8'));
    await out.commit();
  } catch (error) {
    await out.discard();
    throw error;
  }
}

function parseColumn(
  entry: unknown,
  path: string,
  fail: (message: string) => never,
): ColumnMetadata {
  if (!isObject(entry))
    return fail(`${path} must be an object like {"name": "age", "type": "continuous"}.`);
  checkKeys(entry, COLUMN_KEYS, path, fail);
  if (typeof entry.name !== 'string' || entry.name === '') {
    fail(`${path}.name must be a non-empty string (the column's name in the table).`);
  }
  const type = entry.type as ColumnType;
  if (!COLUMN_TYPES.includes(type)) {
    fail(
      `${path}.type ${JSON.stringify(entry.type)} is not a column type; ` +
        `valid types: ${COLUMN_TYPES.join(', ')}.`,
    );
  }
  const column: ColumnMetadata = { name: entry.name as string, type };
  for (const [key, types] of Object.entries(KEY_TYPES)) {
    if (entry[key] !== undefined && !types.includes(type)) {
      fail(`${path}.${key} applies to ${types.join(' and ')} columns, not ${type}.`);
    }
  }
  if (entry.order !== undefined) {
    column.order = stringArray(entry.order, `${path}.order`, fail);
    const seen = new Set<string>();
    for (const level of column.order) {
      if (seen.has(level)) fail(`${path}.order lists ${JSON.stringify(level)} twice.`);
      seen.add(level);
    }
  }
  if (entry.format !== undefined) {
    if (typeof entry.format !== 'string') fail(`${path}.format must be a strftime string.`);
    const problem = checkDatetimeFormat(entry.format as string);
    if (problem !== null) fail(`${path}.format: ${problem}`);
    column.format = entry.format as string;
  }
  if (entry.missingValues !== undefined) {
    column.missingValues = stringArray(entry.missingValues, `${path}.missingValues`, fail);
  }
  for (const key of ['integer', 'extrapolate'] as const) {
    if (entry[key] === undefined) continue;
    if (typeof entry[key] !== 'boolean') fail(`${path}.${key} must be true or false.`);
    column[key] = entry[key] as boolean;
  }
  return column;
}

function checkKeys(
  object: Record<string, unknown>,
  valid: readonly string[],
  path: string,
  fail: (message: string) => never,
): void {
  for (const key of Object.keys(object)) {
    if (valid.includes(key)) continue;
    const where = path === '' ? key : `${path}.${key}`;
    fail(
      `unknown key "${where}"; valid keys${path === '' ? '' : ` of ${path}`}: ${valid.join(', ')}.`,
    );
  }
}

function stringArray(value: unknown, path: string, fail: (message: string) => never): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return fail(`${path} must be an array of strings, like [" ?", "NA"].`);
  }
  return value as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
