// Synthetic transformed tables for model tests and benchmarks: a DataLayout with alpha + mode
// spans for continuous columns and one-hot spans for discrete ones, and a matching Matrix with
// skewed category frequencies.
import type { DataLayout, Matrix, OutputSpan } from '../../src/transform/layout.ts';
import { Rng } from '../../src/util/rng.ts';

/** What to build. */
export interface SyntheticTableOptions {
  rows: number;
  /** Categories of each discrete column. */
  discrete: number[];
  /** Modes of each continuous column (its alpha span has width 1). */
  continuous: number[];
  seed: number;
  /**
   * Share of the mass on category 0 of each discrete column; the rest decays geometrically
   * (ratio 0.6) over the other categories. Default 0.5.
   */
  firstShare?: number;
}

/**
 * A layout whose columns alternate continuous (alpha, mode) and discrete (category) while both
 * remain, and rows drawn from independent skewed distributions.
 * @returns the layout and [rows, dataDim] data in the layout's order
 */
export function syntheticTable(options: SyntheticTableOptions): {
  layout: DataLayout;
  data: Matrix;
} {
  const spans: OutputSpan[] = [];
  const layout: DataLayout = { spans, dataDim: 0, discrete: [], condDim: 0 };
  const columns = Math.max(options.discrete.length, options.continuous.length);
  for (let i = 0; i < columns; i++) {
    const modes = options.continuous[i];
    if (modes !== undefined) {
      const column = `number${i}`;
      spans.push({ start: layout.dataDim, width: 1, activation: 'tanh', role: 'alpha', column });
      spans.push({
        start: layout.dataDim + 1,
        width: modes,
        activation: 'softmax',
        role: 'mode',
        column,
      });
      layout.dataDim += 1 + modes;
    }
    const categories = options.discrete[i];
    if (categories !== undefined) {
      const column = `category${i}`;
      spans.push({
        start: layout.dataDim,
        width: categories,
        activation: 'softmax',
        role: 'category',
        column,
      });
      layout.discrete.push({
        column,
        dataStart: layout.dataDim,
        condStart: layout.condDim,
        width: categories,
      });
      layout.dataDim += categories;
      layout.condDim += categories;
    }
  }

  const rng = new Rng(options.seed);
  const data = new Float32Array(options.rows * layout.dataDim);
  const firstShare = options.firstShare ?? 0.5;
  for (let row = 0; row < options.rows; row++) {
    const base = row * layout.dataDim;
    for (const span of spans) {
      if (span.role === 'alpha') data[base + span.start] = 1.98 * rng.next() - 0.99;
      else data[base + span.start + skewedCategory(span.width, firstShare, rng)] = 1;
    }
  }
  return { layout, data: { data, rows: options.rows, cols: layout.dataDim } };
}

/** Category 0 with probability firstShare, else k >= 1 with weight 0.6^k. */
export function skewedCategory(width: number, firstShare: number, rng: Rng): number {
  if (width === 1 || rng.next() < firstShare) return 0;
  let total = 0;
  for (let k = 1; k < width; k++) total += 0.6 ** k;
  let u = rng.next() * total;
  for (let k = 1; k < width; k++) {
    u -= 0.6 ** k;
    if (u < 0) return k;
  }
  return width - 1;
}

/** Adult's discrete cardinalities and a plausible number of modes for its six numbers. */
export const ADULT_SHAPE = {
  rows: 32_561,
  discrete: [9, 16, 7, 15, 6, 5, 2, 42, 2],
  continuous: [10, 8, 6, 3, 3, 9],
};
