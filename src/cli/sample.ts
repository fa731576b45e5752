// `tabsynth sample`: draw synthetic rows from a trained model into a Parquet, CSV or Arrow
// file, streamed in batches.
import type { Argv } from 'yargs';
import type { BackendName } from '../config/schema.ts';
import type { ConditionWeighting } from '../sample/candidate-generator.ts';
import { UsageError } from '../util/errors.ts';
import { configureLogging, type LogFormat } from '../util/logger.ts';
import type { Command } from './command.ts';

/** Output formats `tabsynth sample` writes. */
export type SampleFormat = 'parquet' | 'csv' | 'arrow';

export const sampleCommand: Command = {
  command: 'sample',
  describe: 'Sample synthetic rows from a trained model to a file',
  builder: (yargs: Argv) =>
    yargs
      .option('model', {
        type: 'string',
        demandOption: true,
        describe: 'Run directory or model bundle',
      })
      .option('rows', { type: 'number', demandOption: true, describe: 'Rows to generate' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output file' })
      .option('format', {
        choices: ['parquet', 'csv', 'arrow'] as const,
        describe: 'Output format (default: from the extension of --out, else parquet)',
      })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of the sample' })
      .option('batch-size', { type: 'number', describe: 'Rows per generator call' })
      .option('shard', {
        type: 'string',
        describe: 'Write part I of N (I in 1..N), e.g. 2/8: disjoint, deterministic parts',
      })
      .option('where', {
        type: 'string',
        array: true,
        describe: 'Only rows with COLUMN=VALUE (categorical columns; repeatable)',
      })
      .option('conditions', {
        choices: ['original', 'log-frequency'] as const,
        default: 'original' as const,
        describe:
          "How rows are conditioned: original keeps the table's frequencies; log-frequency " +
          'gives rare categories and modes more rows (as training and the Python CTGAN do)',
      })
      .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as const })
      .option('log-format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .example('$0 sample --model models/demo --rows 100000 --out synthetic.parquet', '')
      .example('$0 sample --model models/adult --rows 1e6 --out part2.parquet --shard 2/4', ''),
  handler: async (args) => {
    configureLogging({ format: args['log-format'] as LogFormat });
    const rows = args.rows as number;
    if (!Number.isInteger(rows) || rows < 1) {
      throw new UsageError(`--rows must be a positive integer, got ${String(args.rows)}.`);
    }
    const batchSize = args['batch-size'] as number | undefined;
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new UsageError(`--batch-size must be a positive integer, got ${String(batchSize)}.`);
    }
    const seed = args.seed as number;
    if (!Number.isInteger(seed) || seed < 0) {
      throw new UsageError(`--seed must be a non-negative integer, got ${String(args.seed)}.`);
    }
    const out = args.out as string;
    const options = {
      model: args.model as string,
      rows,
      out,
      format: (args.format as SampleFormat | undefined) ?? formatFromExtension(out),
      seed,
      batchSize,
      shard: parseShard(args.shard as string | undefined),
      where: parseWhere((args.where as string[] | undefined) ?? []),
      conditions: args.conditions as ConditionWeighting,
      backend: (args.backend as BackendName | undefined) ?? 'auto',
    };
    const { runSampling } = await import('../sample/run-sample.ts');
    return runSampling(options);
  },
};

/** The format an output file's extension implies; parquet when it implies none. */
export function formatFromExtension(file: string): SampleFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (/\.(arrow|arrows|feather|ipc)$/.test(lower)) return 'arrow';
  return 'parquet';
}

/** Parses `--shard I/N` (1-based I). */
export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined) return null;
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be I/N with 1 <= I <= N, e.g. --shard 2/8; got '${text}'.`);
  }
  return { index, count };
}

/** Parses repeated `--where COLUMN=VALUE` (the value may contain '=' and spaces). */
export function parseWhere(items: string[]): { column: string; value: string }[] {
  return items.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) {
      throw new UsageError(
        `--where needs COLUMN=VALUE, got '${item}'. Example: --where "sex= Female"`,
      );
    }
    return { column: item.slice(0, at), value: item.slice(at + 1) };
  });
}
