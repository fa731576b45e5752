// Writes the evaluation report: renders every chart to SVG in Node (Vega-Lite compiled to
// Vega, drawn by Vega's headless renderer) and saves one self-contained HTML file atomically.
import fs from 'node:fs/promises';
import path from 'node:path';

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

import {
  distributionChart,
  lossChart,
  pairHeatmapChart,
  shapeScoreChart,
  type LossPoint,
} from './report-charts.ts';
import { reportHtml, type RenderedChart } from './report-html.ts';
import type { EvaluationResult } from './result.ts';
import { UsageError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';

const log = getLogger('evaluate');

// Vega's and Vega-Lite's messages go to our logger, never to the console.
const VEGA_LOGGER = vegaLogger();

/** What the report may show besides the evaluation. */
export interface ReportExtras {
  /** Per-epoch losses of the training run, drawn as a curve. Default: no curve. */
  lossHistory?: LossPoint[];
  /** The page heading. Default 'Synthetic data evaluation'. */
  title?: string;
}

/**
 * Writes the report as one HTML file that needs no network: scores, tables and inline SVG
 * charts. The file appears complete or not at all (written to a temporary name, renamed).
 * @param result the evaluation to show
 * @param file where to write, e.g. 'report.html'
 * @param extras the loss history and a title
 * @throws UsageError when the file cannot be written there
 */
export async function writeReport(
  result: EvaluationResult,
  file: string,
  extras: ReportExtras = {},
): Promise<void> {
  const start = performance.now();
  const charts = await renderCharts(result, extras.lossHistory ?? []);
  const generated = new Date().toISOString().slice(0, 10);
  const html = reportHtml(result, charts, extras.title ?? 'Synthetic data evaluation', generated);

  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    await fs.writeFile(temporary, html, 'utf8');
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(
      `Cannot write the report to ${file} (${code}). ` +
        'Pass --report with a path in an existing folder you can write to.',
      { cause: error },
    );
  }
  log.info('report written', {
    file,
    charts: charts.length,
    seconds: Math.round(performance.now() - start) / 1000,
  });
}

/**
 * Renders one Vega-Lite specification to an SVG string.
 * @throws Error when the specification is invalid (an internal error)
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec, { logger: VEGA_LOGGER }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: VEGA_LOGGER });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function renderCharts(
  result: EvaluationResult,
  lossHistory: LossPoint[],
): Promise<RenderedChart[]> {
  const columns = result.distributions.map((distribution) => distribution.column);
  const planned: { kind: string; name: string; spec: TopLevelSpec }[] = [
    { kind: 'shapes', name: 'Column Shapes', spec: shapeScoreChart(result.columnShapes) },
    {
      kind: 'pairs',
      name: 'Column Pair Trends',
      spec: pairHeatmapChart(columns, result.columnPairs),
    },
    ...result.distributions.map((distribution) => ({
      kind: 'column',
      name: distribution.column,
      spec: distributionChart(distribution),
    })),
  ];
  if (lossHistory.length > 0) {
    planned.push({ kind: 'loss', name: 'Training loss', spec: lossChart(lossHistory) });
  }
  const charts: RenderedChart[] = [];
  for (const { kind, name, spec } of planned) {
    charts.push({ kind, name, svg: await renderSvg(spec) });
  }
  return charts;
}

// A Vega logger that hands warnings to ours (debug) and errors as warnings.
function vegaLogger(): vega.LoggerInterface {
  return vega.logger(vega.Warn, undefined, (method, _level, messages) => {
    const text = messages.map(String).join(' ');
    if (method === 'error') log.warn(text, { source: 'vega' });
    else log.debug(text, { source: 'vega' });
  });
}
