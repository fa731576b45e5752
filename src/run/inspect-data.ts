// `tabsynth inspect-data`: rows, the given or inferred metadata, a summary per column and
// the modes the transformer finds in each numeric column, as text or as one JSON object.
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { saveMetadata } from '../schema/load-metadata.ts';
import { formatSummary, summarizeTable } from '../schema/summarize.ts';
import { TableTransformer } from '../transform/table-transformer.ts';
import type { ColumnSummary as TransformSummary } from '../transform/transformer-json.ts';
import { readTableInput } from './table-input.ts';

/** Options of inspectData, as the CLI passes them. */
export interface InspectDataOptions {
  data: string;
  metadata?: string;
  maxRows?: number;
  /** Write the metadata (given or inferred) to this file. */
  saveMetadata?: string;
  json: boolean;
}

/**
 * Prints what a user checks before a long run. Fits the transformer with the default
 * transform settings to show the modes training would use.
 */
export async function inspectData(options: InspectDataOptions): Promise<void> {
  const { table, metadata, inferred } = await readTableInput(options.data, options.metadata, {
    maxRows: options.maxRows ?? null,
  });
  const summary = summarizeTable(table, metadata);
  const transformer = TableTransformer.fit(table, metadata, DEFAULT_CONFIG.transform, 0);
  const columns = transformer.describe();
  if (options.saveMetadata) await saveMetadata(options.saveMetadata, metadata);

  if (options.json) {
    const result = {
      file: options.data,
      rows: table.numRows,
      metadataSource: inferred ? 'inferred' : options.metadata,
      metadata,
      summary: summary.columns,
      transform: {
        dataDim: transformer.layout.dataDim,
        condDim: transformer.layout.condDim,
        columns,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const source = inferred
    ? `inferred (save it with --save-metadata FILE, edit it, pass it with --metadata)`
    : `from ${options.metadata}`;
  const lines = [
    `${options.data}`,
    `metadata: ${source}`,
    formatSummary(summary),
    '',
    `Modes found per numeric column (data row width ${transformer.layout.dataDim}, ` +
      `condition width ${transformer.layout.condDim}):`,
    ...columns.filter((c) => c.modes !== undefined).map(formatModes),
  ];
  if (options.saveMetadata) lines.push('', `metadata written to ${options.saveMetadata}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

// "age: 7 modes  31.2% N(24.1, 3.2)  ...  point 0 (91.7%)  null (2.1%)"
function formatModes(column: TransformSummary): string {
  const modes = [...(column.modes ?? [])].sort((a, b) => b.weight - a.weight);
  const parts = modes.map((mode) => {
    const share = `${(mode.weight * 100).toFixed(1)}%`;
    if (mode.kind === 'point') return `point ${mode.value} (${share})`;
    if (mode.kind === 'null') return `null (${share})`;
    const label = mode.kind === 'coverage' ? 'tail ' : '';
    return `${label}${share} N(${round(mode.mean!)}, ${round(mode.std!)})`;
  });
  return `  ${column.name}: ${modes.length} modes  ${parts.join('  ')}`;
}

function round(value: number): string {
  return Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(4)));
}
