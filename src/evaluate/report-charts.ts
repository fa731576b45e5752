// The report's charts as Vega-Lite specifications: real vs synthetic distributions per
// column, the column-shape scores, the pair-trend heat map and the training loss curve.
import type { TopLevelSpec } from 'vega-lite';

import type { ColumnDistribution, ColumnShapeDetail, PairTrendDetail } from './result.ts';

/** One epoch of training, as the run history records it. */
export interface LossPoint {
  epoch: number;
  generatorLoss: number;
  discriminatorLoss: number;
  gradientPenalty?: number;
}

/** The two sources every distribution chart compares, and their colours. */
const SOURCES = ['real', 'synthetic'];
const SOURCE_COLORS = ['#4c78a8', '#f58518'];

// Shared look: a readable sans-serif, no chart border, legends on top.
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'top' as const, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start' as const },
};

const BY_SOURCE = { field: 'source', type: 'ordinal' as const, sort: SOURCES };

const SOURCE_COLOR = {
  field: 'source',
  type: 'nominal' as const,
  title: null,
  scale: { domain: SOURCES, range: SOURCE_COLORS },
};

/**
 * A histogram (numeric, datetime) or bar chart (discrete) of one column, real and synthetic
 * overlaid, as shares of the non-null rows.
 */
export function distributionChart(distribution: ColumnDistribution): TopLevelSpec {
  return distribution.labels === undefined
    ? histogramChart(distribution)
    : categoryChart(distribution);
}

function histogramChart(distribution: ColumnDistribution): TopLevelSpec {
  const edges = distribution.binEdges ?? [];
  const values = SOURCES.flatMap((source) => {
    const shares = source === 'real' ? distribution.real : distribution.synthetic;
    return shares.map((share, bin) => ({ source, start: edges[bin], end: edges[bin + 1], share }));
  });
  const temporal = distribution.type === 'datetime';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: distribution.column, subtitle: `${distribution.type}: share of rows per bin` },
    width: 340,
    height: 180,
    config: CONFIG,
    data: { values },
    // Real rows as filled bars, synthetic rows as outlines on top, so both stay visible.
    mark: { type: 'bar', binSpacing: 0 },
    encoding: {
      x: {
        field: 'start',
        type: temporal ? 'temporal' : 'quantitative',
        title: null,
        scale: { zero: false, nice: false },
        axis: { labelFlush: true, labelOverlap: true, tickCount: 6 },
      },
      x2: { field: 'end' },
      y: { field: 'share', type: 'quantitative', title: 'share', stack: null },
      y2: { datum: 0 },
      // The four channels share one field, so Vega-Lite merges them into one legend whose
      // symbols look like the marks: a filled square (real), an outlined one (synthetic).
      fill: SOURCE_COLOR,
      stroke: SOURCE_COLOR,
      fillOpacity: { ...BY_SOURCE, title: null, scale: { domain: SOURCES, range: [0.6, 0] } },
      strokeWidth: { ...BY_SOURCE, title: null, scale: { domain: SOURCES, range: [0, 1.6] } },
      order: { field: 'source', sort: 'ascending' },
    },
  };
}

function categoryChart(distribution: ColumnDistribution): TopLevelSpec {
  const labels = distribution.labels ?? [];
  const values = SOURCES.flatMap((source) => {
    const shares = source === 'real' ? distribution.real : distribution.synthetic;
    return shares.map((share, index) => ({ source, label: labels[index], share }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: distribution.column,
      subtitle: `${distribution.type}: share of rows per category`,
    },
    width: 340,
    height: { step: 9 },
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        title: null,
        sort: labels,
        axis: { labelLimit: 180 },
      },
      yOffset: { field: 'source', sort: SOURCES },
      x: { field: 'share', type: 'quantitative', title: 'share' },
      color: SOURCE_COLOR,
    },
  };
}

/** The Column Shapes score of every column, worst first. */
export function shapeScoreChart(details: ColumnShapeDetail[]): TopLevelSpec {
  const values = details
    .filter((detail) => detail.score !== null)
    .map((detail) => ({ column: detail.column, score: detail.score, metric: detail.metric }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Column Shapes per column', subtitle: '1 = same distribution as the real rows' },
    width: 420,
    height: { step: 16 },
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'column', type: 'nominal', sort: null, title: null, axis: { labelLimit: 160 } },
      x: { field: 'score', type: 'quantitative', scale: { domain: [0, 1] }, title: 'score' },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        scale: { domain: ['KSComplement', 'TVComplement'], range: ['#54a24b', '#72b7b2'] },
      },
    },
  };
}

/**
 * A columns-by-columns heat map of the pair-trend scores (both triangles), each cell written
 * out when there are few enough columns to read it.
 */
export function pairHeatmapChart(columns: string[], pairs: PairTrendDetail[]): TopLevelSpec {
  const scored = pairs.filter((pair) => pair.score !== null);
  const lowest = Math.min(0.5, ...scored.map((pair) => pair.score!));
  // White text on the dark ends of the colour scale (deep red, deep green), black between.
  const ink = (score: number): string => {
    const position = (score - lowest) / (1 - lowest);
    return position < 0.15 || position > 0.85 ? 'white' : 'black';
  };
  const values = scored.flatMap((pair) => [
    { x: pair.columnA, y: pair.columnB, score: pair.score, ink: ink(pair.score!) },
    { x: pair.columnB, y: pair.columnA, score: pair.score, ink: ink(pair.score!) },
  ]);
  const cell = Math.max(16, Math.min(36, Math.floor(560 / Math.max(1, columns.length))));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Column Pair Trends',
      subtitle: 'similarity of each pair\u2019s relation in real vs synthetic rows (1 = same)',
    },
    width: { step: cell },
    height: { step: cell },
    config: CONFIG,
    data: { values },
    encoding: {
      x: { field: 'x', type: 'nominal', sort: columns, title: null, axis: { labelAngle: -45 } },
      y: { field: 'y', type: 'nominal', sort: columns, title: null },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'score',
            type: 'quantitative',
            title: 'score',
            scale: { scheme: 'redyellowgreen', domain: [lowest, 1] },
          },
        },
      },
      ...(columns.length <= 16
        ? [
            {
              mark: { type: 'text' as const, fontSize: 9 },
              encoding: {
                text: { field: 'score', type: 'quantitative' as const, format: '.2f' },
                fill: { field: 'ink', type: 'nominal' as const, scale: null },
              },
            },
          ]
        : []),
    ],
  };
}

/** Generator and discriminator loss (and gradient penalty) per epoch. */
export function lossChart(history: LossPoint[]): TopLevelSpec {
  const values = history.flatMap((point) => [
    { epoch: point.epoch, series: 'generator loss', value: point.generatorLoss },
    { epoch: point.epoch, series: 'discriminator loss', value: point.discriminatorLoss },
    ...(point.gradientPenalty === undefined
      ? []
      : [{ epoch: point.epoch, series: 'gradient penalty', value: point.gradientPenalty }]),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Training loss', subtitle: 'per epoch' },
    width: 560,
    height: 220,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', point: history.length <= 40 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: { field: 'value', type: 'quantitative', title: 'loss' },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}
