// The per-epoch loss history of a run: a CSV a user can load anywhere, and an SVG plot of
// it that opens in any browser. Both are rewritten atomically after every epoch.
import { writeFileAtomic } from '../checkpoint/atomic.ts';
import type { EpochRecord } from '../model/trainer-state.ts';

export type { EpochRecord };

const COLUMNS: (keyof EpochRecord)[] = [
  'epoch',
  'generatorLoss',
  'discriminatorLoss',
  'gradientPenalty',
  'condLoss',
  'steps',
  'seconds',
];

/** The history as CSV text with a header row. */
export function historyToCsv(history: readonly EpochRecord[]): string {
  const lines = [COLUMNS.join(',')];
  for (const record of history) lines.push(COLUMNS.map((key) => String(record[key])).join(','));
  return `${lines.join('\n')}\n`;
}

/** The records of history.csv text (historyToCsv's output), by its header's column names. */
export function historyFromCsv(text: string): EpochRecord[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',').map(Number);
    const record = {} as EpochRecord;
    for (const key of COLUMNS) record[key] = cells[names.indexOf(key)]!;
    return record;
  });
}

/** Writes history.csv and history.svg into `dir`. */
export async function writeHistory(dir: string, history: readonly EpochRecord[]): Promise<void> {
  await writeFileAtomic(`${dir}/history.csv`, historyToCsv(history));
  await writeFileAtomic(`${dir}/history.svg`, historyToSvg(history));
}

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 60, right: 150, top: 30, bottom: 40 };
const SERIES: { key: keyof EpochRecord; label: string; color: string }[] = [
  { key: 'generatorLoss', label: 'generator loss', color: '#1f77b4' },
  { key: 'discriminatorLoss', label: 'discriminator loss', color: '#d62728' },
  { key: 'gradientPenalty', label: 'gradient penalty', color: '#2ca02c' },
];

/** A line plot of the losses per epoch, as a standalone SVG document. */
export function historyToSvg(history: readonly EpochRecord[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = history.flatMap((r) => SERIES.map((s) => r[s.key])).filter(Number.isFinite);
  const low = values.length > 0 ? Math.min(...values) : 0;
  const high = values.length > 0 ? Math.max(...values) : 1;
  const span = high - low || 1;
  const lastEpoch = history.length > 0 ? history[history.length - 1]!.epoch : 1;
  const firstEpoch = history.length > 0 ? history[0]!.epoch : 0;
  const x = (epoch: number): number =>
    MARGIN.left + ((epoch - firstEpoch) / Math.max(1, lastEpoch - firstEpoch)) * plotWidth;
  const y = (value: number): number => MARGIN.top + (1 - (value - low) / span) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14">Training losses per epoch</text>`,
  ];
  // Axes with five ticks each.
  for (let i = 0; i <= 4; i++) {
    const value = low + (span * i) / 4;
    const ty = y(value);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ty}" y2="${ty}" ` +
        'stroke="#eee"/>',
      `<text x="${MARGIN.left - 6}" y="${ty + 4}" text-anchor="end">${value.toFixed(2)}</text>`,
    );
    const epoch = Math.round(firstEpoch + ((lastEpoch - firstEpoch) * i) / 4);
    parts.push(
      `<text x="${x(epoch)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">` +
        `${epoch}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">epoch</text>`,
  );
  SERIES.forEach((series, index) => {
    const points = history
      .filter((r) => Number.isFinite(r[series.key]))
      .map((r) => `${x(r.epoch).toFixed(1)},${y(r[series.key]).toFixed(1)}`);
    if (points.length > 0) {
      parts.push(
        `<polyline fill="none" stroke="${series.color}" stroke-width="1.5" ` +
          `points="${points.join(' ')}"/>`,
      );
    }
    const ly = MARGIN.top + 10 + index * 18;
    const lx = WIDTH - MARGIN.right + 12;
    parts.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${series.color}" ` +
        'stroke-width="2"/>',
      `<text x="${lx + 26}" y="${ly + 4}">${series.label}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
