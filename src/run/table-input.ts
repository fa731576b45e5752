// The table a command works on, with its metadata: read with the declared metadata when a
// file gives it (so missing values and declared types apply while reading), else inferred.
import type * as arrow from 'apache-arrow';
import { readTable } from '../io/read-table.ts';
import { inferMetadata } from '../schema/infer-metadata.ts';
import { loadMetadata } from '../schema/load-metadata.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { validateMetadata } from '../schema/validate-metadata.ts';

/** A table read for a command, with the metadata that describes it. */
export interface TableInput {
  table: arrow.Table;
  metadata: TableMetadata;
  /** True when no metadata file was given and the metadata was inferred. */
  inferred: boolean;
}

/**
 * Reads `dataPath` and its metadata (from a file, given as an object, or inferred when
 * null), validated together.
 * @param options.maxRows read a seeded uniform sample of at most this many rows
 * @param options.seed seed of that sample (default 0)
 * @throws InvalidDataError / InvalidMetadataError naming the file, column and value
 */
export async function readTableInput(
  dataPath: string,
  metadataSource: string | TableMetadata | null | undefined,
  options: { maxRows?: number | null; seed?: number } = {},
): Promise<TableInput> {
  const readOptions = { maxRows: options.maxRows ?? null, seed: options.seed ?? 0 };
  if (metadataSource) {
    const fromFile = typeof metadataSource === 'string';
    const declared = fromFile ? await loadMetadata(metadataSource) : metadataSource;
    const table = await readTable(dataPath, { ...readOptions, metadata: declared });
    const files = fromFile ? { data: dataPath, metadata: metadataSource } : { data: dataPath };
    const metadata = validateMetadata(declared, table, files);
    return { table, metadata, inferred: false };
  }
  const table = await readTable(dataPath, readOptions);
  const metadata = validateMetadata(inferMetadata(table), table, { data: dataPath });
  return { table, metadata, inferred: true };
}
