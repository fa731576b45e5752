// Lays out the evaluation report as one HTML page: score cards, usefulness and privacy
// tables, and the charts (already rendered to SVG) inline, so the file opens offline.
import type { EvaluationResult, ModelScores, PairTrendDetail } from './result.ts';

/** A rendered chart and where it goes on the page. */
export interface RenderedChart {
  /** 'shapes', 'pairs', 'loss' or 'column'. */
  kind: string;
  /** What the chart shows, for its caption and data attribute. */
  name: string;
  svg: string;
}

/** Worst pairs listed under the heat map. */
const WORST_PAIRS = 10;

/**
 * The report page.
 * @param result the evaluation
 * @param charts rendered charts
 * @param title the page's heading
 * @param generated the date shown, e.g. '2026-12-03'
 * @returns a complete HTML document
 */
export function reportHtml(
  result: EvaluationResult,
  charts: RenderedChart[],
  title: string,
  generated: string,
): string {
  const chartsOf = (kind: string): string =>
    charts
      .filter((chart) => chart.kind === kind)
      .map(
        (chart) =>
          `<figure class="chart" data-chart="${escapeHtml(chart.name)}">${chart.svg}</figure>`,
      )
      .join('\n');
  const loss = chartsOf('loss');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${headerSection(result, title, generated)}
<section>
<h2>Usefulness: train on synthetic, test on real</h2>
${usefulnessSection(result)}
</section>
<section>
<h2>Privacy: closeness to real rows</h2>
${privacySection(result)}
</section>
<section>
<h2>Fidelity in detail</h2>
<div class="grid wide">
${chartsOf('shapes')}
${chartsOf('pairs')}
</div>
<h3>Weakest column pairs</h3>
${worstPairsTable(result.columnPairs)}
</section>
<section>
<h2>Columns: real vs synthetic</h2>
<div class="grid">
${chartsOf('column')}
</div>
</section>
${loss === '' ? '' : `<section>\n<h2>Training</h2>\n${loss}\n</section>`}
<footer>Column Shapes, Column Pair Trends and the quality score follow SDMetrics' Quality Report
definitions; see docs/evaluate.md for the exact definitions, null handling and the models used.
</footer>
</body>
</html>
`;
}

// The heading, what was compared, and one card per headline score.
function headerSection(result: EvaluationResult, title: string, generated: string): string {
  const { rows, quality } = result;
  const holdoutRows = rows.holdout === null ? '' : `, ${count(rows.holdout)} held-out rows`;
  const ignored =
    result.ignoredColumns.length === 0
      ? ''
      : ` Ignored (id) columns: ${result.ignoredColumns.map(escapeHtml).join(', ')}.`;
  const compared =
    `${count(rows.real)} real rows vs ${count(rows.synthetic)} synthetic rows${holdoutRows}. ` +
    `Seed ${result.seed}. Generated ${escapeHtml(generated)}.${ignored}`;
  const important = `${quality.importantPairs} strongly related pairs (|r| &gt; 0.5, V &gt; 0.3)`;
  return `<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${compared}</p>
</header>
<section class="cards">
${card('Quality score', quality.score, 'mean of Column Shapes and Column Pair Trends')}
${card('Column Shapes', quality.columnShapes, 'per-column distributions (KS / TV)')}
${card('Column Pair Trends', quality.columnPairTrends, `all ${quality.scoredPairs} pairs`)}
${card('Pair Trends that matter', quality.columnPairTrendsImportant, important)}
</section>`;
}

function card(label: string, value: number | null, detail: string): string {
  return (
    `<div class="card"><div class="label">${label}</div>` +
    `<div class="value">${formatScore(value)}</div><div class="detail">${detail}</div></div>`
  );
}

function usefulnessSection(result: EvaluationResult): string {
  const usefulness = result.usefulness;
  if (usefulness === null) {
    return `<p class="note">Not run: ${escapeHtml(result.usefulnessSkipped ?? 'turned off')}.</p>`;
  }
  const metrics: [keyof ModelScores, string][] =
    usefulness.task === 'regression'
      ? [['r2', 'R\u00b2']]
      : [
          ['accuracy', 'accuracy'],
          ['f1', usefulness.positiveClass === null ? 'macro F1' : 'F1 (positive class)'],
          ['auc', 'ROC AUC'],
        ];
  const body = metrics
    .map(
      ([key, label]) =>
        `<tr><th>${label}</th><td>${formatScore(usefulness.synthetic[key])}</td>` +
        `<td>${formatScore(usefulness.real[key])}</td></tr>`,
    )
    .join('\n');
  const positive =
    usefulness.positiveClass === null
      ? ''
      : `, positive class <code>${escapeHtml(JSON.stringify(usefulness.positiveClass))}</code>`;
  return (
    `<p>Target <code>${escapeHtml(usefulness.target)}</code> (${usefulness.task}${positive}).
Tested on ${count(usefulness.testRows)} held-out real rows: ${escapeHtml(usefulness.holdout)}.</p>
<table class="figures">
<thead><tr><th></th><th>trained on synthetic (${count(usefulness.synthetic.trainRows)} rows)</th>` +
    `<th>trained on real (${count(usefulness.real.trainRows)} rows)</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<p class="note">Model: ${escapeHtml(usefulness.model)}.</p>`
  );
}

function privacySection(result: EvaluationResult): string {
  const privacy = result.privacy;
  if (privacy === null) return '<p class="note">Not run.</p>';
  const holdout = privacy.holdout;
  const row = (label: string, synthetic: string, baseline: string): string =>
    `<tr><th>${label}</th><td>${synthetic}</td><td>${baseline}</td></tr>`;
  return `<table class="figures">
<thead><tr><th></th><th>synthetic rows</th><th>held-out real rows (baseline)</th></tr></thead>
<tbody>
${row(
  'identical to a real row',
  formatShare(privacy.exactMatchShare),
  privacy.holdoutExactMatchShare === null ? '\u2013' : formatShare(privacy.holdoutExactMatchShare),
)}
${row(
  'distance to closest record, median',
  formatScore(privacy.synthetic.median),
  formatScore(holdout?.median ?? null),
)}
${row(
  'distance to closest record, 5th percentile',
  formatScore(privacy.synthetic.percentile5),
  formatScore(holdout?.percentile5 ?? null),
)}
</tbody>
</table>
<p class="note">Synthetic rows should not sit closer to the training rows than unseen real rows
do. ${escapeHtml(privacy.note)}</p>`;
}

function worstPairsTable(pairs: PairTrendDetail[]): string {
  const rows = pairs
    .filter((pair) => pair.score !== null)
    .slice(0, WORST_PAIRS)
    .map((pair) => {
      const real =
        pair.metric === 'CorrelationSimilarity'
          ? `r = ${formatSigned(pair.realCorrelation)} vs ` +
            formatSigned(pair.syntheticCorrelation)
          : `Cramer's V (real) = ${formatScore(pair.realAssociation)}`;
      return (
        `<tr><td>${escapeHtml(pair.columnA)}</td><td>${escapeHtml(pair.columnB)}</td>` +
        `<td>${pair.metric}</td><td>${formatScore(pair.score)}</td><td>${real}</td>` +
        `<td>${pair.important ? 'yes' : ''}</td></tr>`
      );
    })
    .join('\n');
  return (
    `<table class="figures pairs">
<thead><tr><th>column</th><th>column</th><th>metric</th><th>score</th><th>relation</th>` +
    `<th>matters</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
  );
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function formatScore(value: number | null): string {
  return value === null ? '\u2013' : value.toFixed(3);
}

function formatSigned(value: number | null): string {
  return value === null ? '\u2013' : (value >= 0 ? '+' : '') + value.toFixed(2);
}

function formatShare(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

const STYLE = `
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #222; margin: 0 auto;
  max-width: 1180px; padding: 24px 32px 48px; background: #fafafa; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.meta, .note { color: #555; }
.cards { display: flex; gap: 14px; flex-wrap: wrap; margin-top: 16px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px;
  min-width: 220px; flex: 1; }
.card .label { font-weight: bold; }
.card .value { font-size: 30px; margin: 2px 0; }
.card .detail { color: #666; font-size: 12px; }
table.figures { border-collapse: collapse; background: #fff; }
table.figures th, table.figures td { border: 1px solid #ddd; padding: 5px 10px; text-align: right; }
table.figures th:first-child, table.pairs td { text-align: left; }
table.figures thead th { background: #f0f0f0; }
.grid { display: flex; flex-wrap: wrap; gap: 14px; }
figure.chart { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 0;
  padding: 8px; }
figure.chart svg { display: block; }
code { background: #eee; padding: 0 3px; border-radius: 3px; }
footer { margin-top: 40px; color: #666; font-size: 12px; }
`;
