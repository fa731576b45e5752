// The model's internal column order: tanh columns, then discrete spans grouped by width, then
// the other softmax spans grouped by width, so that a group of k spans of width w is activated
// by one softmax over a [batch, k, w] view. Rows are permuted into this order and back.
import type { DataLayout, Matrix } from '../transform/layout.ts';
import { ShapeMismatchError } from '../util/errors.ts';

/**
 * Width of the generator's output layer for `dataDim` data columns: rounded up to a multiple of
 * 8. XNNPACK's wasm product kernels compute 8 output columns at a time, and a [500, 744] x
 * [744, 157] product ran ~30% slower than with 160 columns. The extra logits are never used.
 */
export function logitWidth(dataDim: number): number {
  return Math.ceil(dataDim / 8) * 8;
}

/** k adjacent softmax spans of equal width, in internal column coordinates. */
export interface SpanGroup {
  /** Internal offset of the group's first column. */
  start: number;
  width: number;
  count: number;
}

/** Where the model puts each layout column, and how it activates them. */
export class OutputPlan {
  /** Width of a data row. */
  readonly dataDim: number;
  /** Width of the generator's logits: dataDim padded by unused columns (see logitWidth). */
  readonly logitWidth: number;
  /** Columns [0, tanhWidth) are tanh columns. */
  readonly tanhWidth: number;
  /** Columns [tanhWidth, tanhWidth + discreteWidth) are the discrete columns' one-hots. */
  readonly discreteWidth: number;
  /** Softmax groups of the discrete columns, then of the other softmax spans. */
  readonly discreteGroups: SpanGroup[];
  readonly otherGroups: SpanGroup[];
  /** Internal offset of each discrete column's span, in the order of layout.discrete. */
  readonly discreteStarts: number[];
  /** layoutColumn[i]: the layout column at internal column i. */
  readonly layoutColumn: Int32Array;

  /**
   * @param layout the transformer's layout
   * @throws ShapeMismatchError when the spans do not tile [0, dataDim) or a discrete column has
   *   no softmax span of its width at its dataStart
   */
  constructor(readonly layout: DataLayout) {
    this.dataDim = layout.dataDim;
    this.logitWidth = logitWidth(layout.dataDim);
    const spans = [...layout.spans].sort((a, b) => a.start - b.start);
    let covered = 0;
    for (const span of spans) {
      if (span.start !== covered) {
        // Spans must tile the row: the next one starts where the previous ended.
        throw new ShapeMismatchError(
          `start of the span after column ${covered - 1}`,
          [covered],
          [span.start],
        );
      }
      covered += span.width;
    }
    if (covered !== layout.dataDim)
      throw new ShapeMismatchError('layout.dataDim', [covered], [layout.dataDim]);

    const discreteByStart = new Map(
      layout.discrete.map((column, index) => [column.dataStart, index]),
    );
    const tanhSpans = spans.filter((span) => span.activation === 'tanh');
    const softmaxSpans = spans.filter((span) => span.activation === 'softmax');
    const discreteSpans = softmaxSpans.filter((span) => discreteByStart.has(span.start));
    const otherSpans = softmaxSpans.filter((span) => !discreteByStart.has(span.start));
    if (discreteSpans.length !== layout.discrete.length) {
      throw new ShapeMismatchError(
        'discrete columns with a softmax span',
        [layout.discrete.length],
        [discreteSpans.length],
      );
    }

    const order: number[] = [];
    for (const span of tanhSpans) for (let c = 0; c < span.width; c++) order.push(span.start + c);
    this.tanhWidth = order.length;
    this.discreteGroups = groupByWidth(discreteSpans, order);
    this.discreteWidth = order.length - this.tanhWidth;
    this.otherGroups = groupByWidth(otherSpans, order);
    this.layoutColumn = Int32Array.from(order);

    const internalOf = new Int32Array(this.dataDim);
    this.layoutColumn.forEach((layoutColumn, internal) => {
      internalOf[layoutColumn] = internal;
    });
    this.discreteStarts = layout.discrete.map((column) => {
      const span = discreteSpans.find((candidate) => candidate.start === column.dataStart)!;
      if (span.width !== column.width) {
        throw new ShapeMismatchError(
          `span of discrete column ${column.column}`,
          [column.width],
          [span.width],
        );
      }
      return internalOf[column.dataStart]!;
    });
  }

  /** Width of all softmax columns (discrete and other). */
  get softmaxWidth(): number {
    return this.dataDim - this.tanhWidth;
  }

  /**
   * Copies rows from the layout's column order into the internal one.
   * @param matrix [rows, dataDim] in layout order
   * @throws ShapeMismatchError when matrix.cols !== dataDim
   */
  toInternal(matrix: Matrix): Matrix {
    this.checkColumns(matrix);
    const out = new Float32Array(matrix.rows * this.dataDim);
    const width = this.dataDim;
    for (let row = 0; row < matrix.rows; row++) {
      const base = row * width;
      for (let i = 0; i < width; i++) out[base + i] = matrix.data[base + this.layoutColumn[i]!]!;
    }
    return { data: out, rows: matrix.rows, cols: width };
  }

  /**
   * Copies rows from the internal column order back into the layout's.
   * @param matrix [rows, dataDim] in internal order
   * @throws ShapeMismatchError when matrix.cols !== dataDim
   */
  toLayout(matrix: Matrix): Matrix {
    this.checkColumns(matrix);
    const out = new Float32Array(matrix.rows * this.dataDim);
    const width = this.dataDim;
    for (let row = 0; row < matrix.rows; row++) {
      const base = row * width;
      for (let i = 0; i < width; i++) out[base + this.layoutColumn[i]!] = matrix.data[base + i]!;
    }
    return { data: out, rows: matrix.rows, cols: width };
  }

  private checkColumns(matrix: Matrix): void {
    if (matrix.cols !== this.dataDim || matrix.data.length !== matrix.rows * matrix.cols) {
      throw new ShapeMismatchError(
        'data matrix',
        [matrix.rows, this.dataDim],
        [matrix.rows, matrix.cols],
      );
    }
  }
}

/**
 * Appends the spans' layout columns to `order`, grouped by width (ascending; spans of a group
 * keep their layout order), and returns the groups in internal coordinates.
 */
function groupByWidth(
  spans: ReadonlyArray<{ start: number; width: number }>,
  order: number[],
): SpanGroup[] {
  const widths = [...new Set(spans.map((span) => span.width))].sort((a, b) => a - b);
  return widths.map((width) => {
    const members = spans.filter((span) => span.width === width);
    const start = order.length;
    for (const span of members) for (let c = 0; c < width; c++) order.push(span.start + c);
    return { start, width, count: members.length };
  });
}
