// The contract between the transformer and the model: how a transformed row is laid out.
// A row of the data matrix is a sequence of spans; the generator applies one activation per
// span, and the condition vector addresses the spans of discrete variables: every discrete
// column's categories and, when the transformer conditions on modes, numeric columns' modes.

/** Activation the generator applies to a span: tanh for a scalar, softmax for a one-hot. */
export type SpanActivation = 'tanh' | 'softmax';

/**
 * What a span encodes.
 * - alpha: the normalized scalar of a continuous (or datetime) column, width 1
 * - mode: the one-hot of the mode (mixture component, point mass or null) of that column
 * - category: the one-hot of a discrete column's category (null is a category of its own)
 */
export type SpanRole = 'alpha' | 'mode' | 'category';

/** One block of the data matrix's columns. */
export interface OutputSpan {
  /** Offset of the span's first column in a data row. */
  start: number;
  width: number;
  activation: SpanActivation;
  role: SpanRole;
  /** Name of the table column the span belongs to. */
  column: string;
}

/**
 * A discrete variable as the condition sampler and the conditional loss see it: a discrete
 * column's categories, or a numeric column's modes (its span of role 'mode'), whose "categories"
 * are then the modes.
 */
export interface DiscreteColumnLayout {
  /** Name of the table column. */
  column: string;
  /** Offset of its one-hot span in a data row. */
  dataStart: number;
  /** Offset of its one-hot in the condition vector. */
  condStart: number;
  /** Number of categories or modes (the span's width). */
  width: number;
}

/** The full layout of a data row and of the condition vector. */
export interface DataLayout {
  spans: OutputSpan[];
  /** Width of a data row: the sum of all span widths. */
  dataDim: number;
  /** The discrete variables the condition vector addresses, in row order. */
  discrete: DiscreteColumnLayout[];
  /** Width of a condition vector: the sum of the discrete variables' widths. */
  condDim: number;
}

/** A row-major float32 matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}
