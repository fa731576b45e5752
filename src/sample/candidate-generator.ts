// Generates candidate rows: draws each row's condition and noise from the block streams (so a
// row's values depend only on the seed, the stream and its index), runs the inference network
// on them, one device call per range of rows, and activates the logits (row-activation.ts).
import type { DataLayout } from '../transform/layout.ts';
import { RowStream, type StreamKey } from './block-streams.ts';
import { InferenceNetwork, type ConditionIndex } from './inference-network.ts';
import { RowActivation, type ActivatedRows, type CategoryCheck } from './row-activation.ts';

/**
 * Which conditions the candidates get: 'original' draws a discrete variable uniformly and a
 * category by its training frequency, so that the rows follow the table's own frequencies;
 * 'log-frequency' draws the category by log(1 + its count) instead, as in training-by-sampling
 * (and as the Python CTGAN samples), which gives rare categories more rows than the table has;
 * 'fixed' gives every row the same condition (the --where clause that the condition vector
 * serves); 'none' for tables without discrete variables.
 */
export type ConditionSpec =
  | { kind: 'original' }
  | { kind: 'log-frequency' }
  | { kind: 'fixed'; column: number; category: number }
  | { kind: 'none' };

/** How `tabsynth sample --conditions` draws the categories of the conditions. */
export type ConditionWeighting = 'original' | 'log-frequency';

/** Seconds a CandidateGenerator spent, summed over calls. */
export interface GeneratorTimings {
  /** Drawing noise and conditions. */
  drawSeconds: number;
  /** Running the network (device work, uploads and downloads). */
  networkSeconds: number;
  /** Output activations and --where checks. */
  activateSeconds: number;
}

/** Draws and generates candidates; see the file header. */
export class CandidateGenerator {
  readonly timings: GeneratorTimings = { drawSeconds: 0, networkSeconds: 0, activateSeconds: 0 };
  private readonly noiseStream: RowStream;
  private readonly conditionStream: RowStream;
  /** Per discrete variable, the cumulative share of each category (last entry 1). */
  private readonly cumulative: Float64Array[];
  private readonly fixedPosition: number;
  private readonly activation: RowActivation;

  /**
   * @param network the inference network (not owned)
   * @param layout the generator's layout
   * @param categoryCounts training rows per category of each discrete column
   * @param key the candidate stream
   * @param condition see ConditionSpec
   * @param checks categories a candidate must have to be accepted (--where)
   */
  constructor(
    private readonly network: InferenceNetwork,
    private readonly layout: DataLayout,
    categoryCounts: number[][],
    key: StreamKey,
    private readonly condition: ConditionSpec,
    checks: readonly CategoryCheck[],
  ) {
    this.activation = new RowActivation(layout, key, checks);
    const noiseDim = network.noiseDim;
    const scratch = new Float32Array(noiseDim);
    this.noiseStream = new RowStream(key, 'noise', (source, rows) => {
      for (let row = 0; row < rows; row++) source.fillNormal(scratch);
    });
    this.conditionStream = new RowStream(key, 'conditions', (source, rows) => {
      for (let draw = 0; draw < 2 * rows; draw++) source.uint32();
    });
    const logarithmic = condition.kind === 'log-frequency';
    this.cumulative = categoryCounts.map((counts) =>
      cumulativeShares(logarithmic ? counts.map((count) => Math.log1p(count)) : counts),
    );
    this.fixedPosition =
      condition.kind === 'fixed'
        ? layout.discrete[condition.column]!.condStart + condition.category
        : -1;
  }

  /**
   * Candidates [first, first + count), with one device call.
   * @returns the activated rows (layout order) and which passed the checks
   */
  generate(first: number, count: number): ActivatedRows {
    const started = performance.now();
    const noiseDim = this.network.noiseDim;
    const noise = new Float32Array(count * noiseDim); // [count, noiseDim]
    this.noiseStream.draw(first, count, (source, offset, rows) => {
      source.fillNormal(noise, offset * noiseDim, rows * noiseDim);
    });
    const conditions = this.conditions(first, count);
    const drawn = performance.now();
    const logits = this.network.logits(noise, conditions, count);
    const networked = performance.now();
    const rows = this.activation.activate(first, count, logits);
    this.timings.drawSeconds += (drawn - started) / 1000;
    this.timings.networkSeconds += (networked - drawn) / 1000;
    this.timings.activateSeconds += (performance.now() - networked) / 1000;
    return rows;
  }

  /** The conditions of candidates [first, first + count). */
  private conditions(first: number, count: number): ConditionIndex {
    if (this.condition.kind === 'none' || this.layout.discrete.length === 0) return null;
    if (this.condition.kind === 'fixed') return this.fixedPosition;
    const positions = new Int32Array(count);
    const columns = this.layout.discrete;
    this.conditionStream.draw(first, count, (source, offset, rows) => {
      for (let row = offset; row < offset + rows; row++) {
        // Two draws per row, always: the column, then the category by its (log) frequency.
        const column = Math.floor(source.uniform() * columns.length);
        const category = firstAbove(this.cumulative[column]!, source.uniform());
        positions[row] = columns[column]!.condStart + category;
      }
    });
    return positions;
  }
}

/** Cumulative shares of non-negative weights; uniform shares when all are 0. */
function cumulativeShares(counts: number[]): Float64Array {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const shares = new Float64Array(counts.length);
  let running = 0;
  counts.forEach((count, k) => {
    running += total > 0 ? count : 1;
    shares[k] = running / (total > 0 ? total : counts.length);
  });
  shares[counts.length - 1] = 1;
  return shares;
}

/** The first index whose cumulative share exceeds u (never a category of share 0). */
function firstAbove(cumulative: Float64Array, u: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! > u) high = middle;
    else low = middle + 1;
  }
  return low;
}
