// The generator's output activations at sampling time, in JavaScript: tanh on each scalar and,
// on each one-hot span, a category drawn from softmax(logits), written as a one-hot in the
// layout's column order for the transformer's inverse (which takes each span's argmax). Also
// checks the --where categories, so that rejected rows cost no further work.
//
// CTGAN samples with Gumbel-softmax (tau 0.2) and then takes the argmax. The argmax of
// softmax((l + g) / tau) is the argmax of l + g, and with g independent Gumbel(0, 1) draws that
// is a draw from softmax(l) (the Gumbel-max trick): the same distribution as drawing the
// category directly, with one uniform per span by the inverse CDF instead of a uniform and two
// logarithms per column. Rows are drawn one by one, so a row never depends on another.
import { OutputPlan } from '../model/output-plan.ts';
import type { DataLayout } from '../transform/layout.ts';
import { RowStream, type StreamKey } from './block-streams.ts';

/** A --where clause resolved against the model: a category a discrete column must have. */
export interface CategoryCheck {
  /** The column as the user named it, and the value as given (for messages). */
  column: string;
  value: string;
  /** Offset of the column's one-hot span in a row of the layout's order. */
  layoutStart: number;
  /** The category's index in that span. */
  category: number;
}

/** Activated candidates, ready for the transformer's inverse. */
export interface ActivatedRows {
  /** [count, dataDim] in the layout's order: tanh values and one-hots (zeros when rejected). */
  matrix: Float32Array;
  count: number;
  /** 1 where the row passed every check; null when there are no checks (all pass). */
  accepted: Uint8Array | null;
}

/** A softmax span: where its logits are (internal order) and where its one-hot goes. */
interface SoftmaxSpan {
  /** Offset of the span's first logit in a row of internal order. */
  internalStart: number;
  width: number;
  /** Offset of the span's first column in a row of the layout's order. */
  layoutStart: number;
}

/** Activates candidates; see the file header. */
export class RowActivation {
  /** Width of an activated row (layout.dataDim). */
  readonly dataDim: number;
  /** Every softmax span, in internal order: checked spans first, then the others. */
  private readonly spans: SoftmaxSpan[];
  private readonly checkCount: number;
  private readonly checkCategories: Int32Array;
  /** For the span at position p of `spans`, the index of its uniform within a row. */
  private readonly drawOrder: Int32Array;
  private readonly tanhLayoutColumns: Int32Array;
  private readonly stream: RowStream;
  private readonly exps: Float64Array;

  /**
   * @param layout the transformer's layout (the generator's)
   * @param key the candidate stream: its 'spans' draws pick the categories, one uniform per
   *   softmax span per row, in the internal order of the spans
   * @param checks categories a row must have to be accepted (--where)
   * @throws Error (internal) when a check names no softmax span of the layout
   */
  constructor(layout: DataLayout, key: StreamKey, checks: readonly CategoryCheck[]) {
    const plan = new OutputPlan(layout);
    this.dataDim = plan.dataDim;
    this.tanhLayoutColumns = plan.layoutColumn.slice(0, plan.tanhWidth);
    const spans = [...plan.discreteGroups, ...plan.otherGroups].flatMap((group) =>
      Array.from({ length: group.count }, (_, k) => {
        const internalStart = group.start + k * group.width;
        // A span's columns stay adjacent and in order in the internal layout.
        return {
          internalStart,
          width: group.width,
          layoutStart: plan.layoutColumn[internalStart]!,
        };
      }),
    );
    const checked = checks.map((check) => {
      const index = spans.findIndex((span) => span.layoutStart === check.layoutStart);
      if (index < 0)
        throw new Error(`no softmax span starts at layout column ${check.layoutStart}`);
      return index;
    });
    // Checked spans are activated first; a span's uniform stays the one of its internal order.
    const rest = [...spans.keys()].filter((index) => !checked.includes(index));
    this.drawOrder = Int32Array.from([...checked, ...rest]);
    this.spans = [...this.drawOrder].map((index) => spans[index]!);
    this.checkCount = checks.length;
    this.checkCategories = Int32Array.from(checks, (check) => check.category);
    const drawsPerRow = spans.length;
    this.stream = new RowStream(key, 'spans', (source, rows) => {
      for (let draw = rows * drawsPerRow; draw > 0; draw--) source.uint32();
    });
    this.exps = new Float64Array(Math.max(1, ...spans.map((span) => span.width)));
  }

  /**
   * Activates candidates [first, first + count) of the stream.
   * @param logits [count, logitWidth] in the generator's internal order (logitWidth >=
   *   dataDim: the output layer may be padded, see OutputPlan)
   * @returns the activated rows, and which passed the checks
   */
  activate(first: number, count: number, logits: Float32Array): ActivatedRows {
    const stride = count > 0 ? logits.length / count : this.dataDim; // logitWidth
    if (!Number.isInteger(stride) || stride < this.dataDim) {
      throw new Error(`RowActivation: ${logits.length} logits are not ${count} rows`);
    }
    const dataDim = this.dataDim;
    const spans = this.spans;
    const drawOrder = this.drawOrder;
    const uniforms = new Float64Array(spans.length);
    const matrix = new Float32Array(count * dataDim); // [count, dataDim]
    const accepted = this.checkCount > 0 ? new Uint8Array(count) : null;

    this.stream.draw(first, count, (source, offset, rows) => {
      for (let row = offset; row < offset + rows; row++) {
        // Every candidate takes all its uniforms, kept or not, so later rows get the same ones.
        for (let s = 0; s < uniforms.length; s++) uniforms[s] = source.uniform();
        const rowStart = row * stride;
        const outStart = row * dataDim;
        let s = 0;
        for (; s < this.checkCount; s++) {
          const category = this.drawCategory(logits, rowStart, spans[s]!, uniforms[drawOrder[s]!]!);
          if (category !== this.checkCategories[s]) break;
        }
        if (s < this.checkCount) continue; // rejected: its row stays zero
        if (accepted !== null) accepted[row] = 1;
        for (s = 0; s < spans.length; s++) {
          const span = spans[s]!;
          const category = this.drawCategory(logits, rowStart, span, uniforms[drawOrder[s]!]!);
          matrix[outStart + span.layoutStart + category] = 1;
        }
        this.writeTanh(logits, rowStart, matrix, outStart);
      }
    });
    return { matrix, count, accepted };
  }

  /** Draws one span's category of one row from softmax(logits) with the given uniform. */
  private drawCategory(
    logits: Float32Array,
    rowStart: number,
    span: SoftmaxSpan,
    uniform: number,
  ): number {
    const start = rowStart + span.internalStart;
    const end = start + span.width;
    let largest = logits[start]!;
    for (let i = start + 1; i < end; i++) if (logits[i]! > largest) largest = logits[i]!;
    const exps = this.exps;
    let total = 0;
    for (let i = start, k = 0; i < end; i++, k++) {
      const value = expNonPositive(logits[i]! - largest);
      exps[k] = value;
      total += value;
    }
    let threshold = uniform * total;
    const last = span.width - 1;
    for (let k = 0; k < last; k++) {
      threshold -= exps[k]!;
      if (threshold < 0) return k;
    }
    return last;
  }

  private writeTanh(logits: Float32Array, rowStart: number, out: Float32Array, outStart: number) {
    const columns = this.tanhLayoutColumns;
    for (let i = 0; i < columns.length; i++) {
      out[outStart + columns[i]!] = Math.tanh(logits[rowStart + i]!);
    }
  }
}

/** 2^n for n in [-1074, 0] at POWERS_OF_TWO[n + 1074]. */
const POWERS_OF_TWO = Float64Array.from({ length: 1075 }, (_, i) => 2 ** (i - 1074));
/** ln 2 split in a part exact in few bits and the rest (Cody and Waite's range reduction). */
const LN2_HIGH = 0.693145751953125;
const LN2_LOW = 1.4286068203094173e-6;

/**
 * e^x for x <= 0, to about 3e-10 relative error: x = n ln 2 + f with |f| <= ln(2) / 2, e^f by
 * its Taylor polynomial of degree 8, times 2^n from a table. Math.exp is a software routine in
 * V8 (~10-20 ns), this ~3-6 ns, and the softmax of every span of every row needs one per
 * column (151 per Adult row). Plain double arithmetic, so the same on every platform.
 * @param x at most 0 (a logit minus its span's largest); NaN gives NaN
 */
export function expNonPositive(x: number): number {
  if (x < -745) return 0;
  const n = Math.floor(x * Math.LOG2E + 0.5);
  const f = x - n * LN2_HIGH - n * LN2_LOW;
  const polynomial =
    1 +
    f *
      (1 +
        f *
          (1 / 2 +
            f *
              (1 / 6 +
                f * (1 / 24 + f * (1 / 120 + f * (1 / 720 + f * (1 / 5040 + f * (1 / 40320))))))));
  return polynomial * POWERS_OF_TWO[(n + 1074) | 0]!;
}

/** The buffers of a piece, to move (not copy) it to another thread. */
export function transferList(rows: ActivatedRows): ArrayBuffer[] {
  const buffers = [rows.matrix.buffer as ArrayBuffer];
  if (rows.accepted !== null) buffers.push(rows.accepted.buffer as ArrayBuffer);
  return buffers;
}
