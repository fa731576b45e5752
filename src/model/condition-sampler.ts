// Training-by-sampling (CTGAN section 4.3): a discrete column uniformly, a category by
// log(1 + count), a real row of that category; plus the conditions used when sampling. In the
// layout's coordinates: condStart + category in the cond vector, dataStart + category in a row.
import type { DataLayout, Matrix } from '../transform/layout.ts';
import { NotFittedError, ShapeMismatchError, UsageError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';

/** Conditions of a batch. */
export interface ConditionBatch {
  /** Per row: the index (into layout.discrete) of the conditioned column. */
  columns: Int32Array;
  /** Per row: the category within that column. */
  categories: Int32Array;
  /**
   * Per row: the position of the 1 in its condition vector, condStart + category. The model
   * takes condition vectors in this form (a gather of weight rows), never written out.
   */
  hot: Int32Array;
}

/** Row ids of one discrete column grouped by category (compressed: ids plus offsets). */
interface CategoryIndex {
  /** Row ids sorted by category. */
  rows: Int32Array;
  /** Rows of category k are rows[offsets[k] .. offsets[k + 1]). */
  offsets: Int32Array;
}

/** Draws conditions and matching real rows. */
export class ConditionSampler {
  /** Rows per category, per discrete column (in layout.discrete order). */
  readonly counts: number[][];
  private readonly logFrequencyCdf: Float64Array[];
  private readonly frequencyCdf: Float64Array[];

  private constructor(
    readonly layout: DataLayout,
    counts: number[][],
    private readonly index: CategoryIndex[] | null,
    private readonly rowCount: number,
  ) {
    this.counts = counts;
    this.logFrequencyCdf = counts.map((column) => cumulative(column.map((n) => Math.log(1 + n))));
    this.frequencyCdf = counts.map((column) => cumulative(column));
  }

  /**
   * Indexes the rows of `data` by the category of each discrete column (the argmax of its span).
   * @param layout the transformer's layout
   * @param data [rows, dataDim] in the layout's column order
   * @throws ShapeMismatchError when data.cols !== layout.dataDim
   */
  static fromData(layout: DataLayout, data: Matrix): ConditionSampler {
    if (data.cols !== layout.dataDim) {
      throw new ShapeMismatchError(
        'training data',
        [data.rows, layout.dataDim],
        [data.rows, data.cols],
      );
    }
    const counts: number[][] = [];
    const index = layout.discrete.map((column) => {
      const categoryOf = new Int32Array(data.rows);
      const columnCounts = new Array<number>(column.width).fill(0);
      for (let row = 0; row < data.rows; row++) {
        const category = argmax(data.data, row * data.cols + column.dataStart, column.width);
        categoryOf[row] = category;
        columnCounts[category]! += 1;
      }
      counts.push(columnCounts);
      return groupRows(categoryOf, columnCounts);
    });
    return new ConditionSampler(layout, counts, index, data.rows);
  }

  /**
   * A sampler that knows only the category counts (e.g. from a model bundle): it draws
   * conditions but no real rows.
   * @throws ShapeMismatchError when counts do not match layout.discrete
   */
  static fromCounts(layout: DataLayout, counts: number[][]): ConditionSampler {
    const expected = layout.discrete.map((column) => column.width);
    const actual = counts.map((column) => column.length);
    if (expected.length !== actual.length || expected.some((width, i) => width !== actual[i])) {
      throw new ShapeMismatchError('category counts per discrete column', expected, actual);
    }
    return new ConditionSampler(
      layout,
      counts.map((column) => [...column]),
      null,
      0,
    );
  }

  /** False for tables without discrete columns: no conditions and no conditional loss. */
  get hasConditions(): boolean {
    return this.layout.discrete.length > 0;
  }

  /**
   * Training conditions: column uniform, category proportional to log(1 + count).
   * @returns the batch's conditions, or null when the table has no discrete column
   */
  sampleTraining(batch: number, rng: Rng): ConditionBatch | null {
    return this.sample(batch, rng, this.logFrequencyCdf);
  }

  /**
   * Sampling conditions: column uniform, category by its empirical frequency.
   * @returns the batch's conditions, or null when the table has no discrete column
   */
  sampleOriginal(batch: number, rng: Rng): ConditionBatch | null {
    return this.sample(batch, rng, this.frequencyCdf);
  }

  /**
   * The same condition for every row (`--where column=value`).
   * @param column index into layout.discrete
   * @param category index of the category within the column
   * @throws UsageError when the column or category is out of range
   */
  fixed(batch: number, column: number, category: number): ConditionBatch {
    const discrete = this.layout.discrete[column];
    if (discrete === undefined) {
      throw new UsageError(
        `condition column ${column} does not exist: the model has ` +
          `${this.layout.discrete.length} discrete columns`,
      );
    }
    if (!Number.isInteger(category) || category < 0 || category >= discrete.width) {
      throw new UsageError(
        `category ${category} of column ${discrete.column} does not exist: ` +
          `it has ${discrete.width} categories`,
      );
    }
    return this.build(
      batch,
      () => column,
      () => category,
    );
  }

  /**
   * Real rows for the given conditions, each uniform among the rows of its category.
   * @returns row ids into the training data
   * @throws NotFittedError for a sampler made by fromCounts
   */
  sampleRows(columns: Int32Array, categories: Int32Array, rng: Rng): Int32Array {
    const index = this.requireIndex();
    const rows = new Int32Array(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const { rows: ids, offsets } = index[columns[i]!]!;
      const begin = offsets[categories[i]!]!;
      const size = offsets[categories[i]! + 1]! - begin;
      if (size === 0)
        throw new Error(
          `no training row has category ${categories[i]} of column ` +
            `${this.layout.discrete[columns[i]!]!.column}`,
        );
      rows[i] = ids[begin + rng.int(size)]!;
    }
    return rows;
  }

  /**
   * Real rows drawn uniformly (tables without discrete columns).
   * @throws NotFittedError for a sampler made by fromCounts
   */
  sampleAnyRows(batch: number, rng: Rng): Int32Array {
    this.requireIndex();
    const rows = new Int32Array(batch);
    for (let i = 0; i < batch; i++) rows[i] = rng.int(this.rowCount);
    return rows;
  }

  private sample(batch: number, rng: Rng, cdfs: Float64Array[]): ConditionBatch | null {
    if (!this.hasConditions) return null;
    const columnCount = this.layout.discrete.length;
    let column = 0;
    return this.build(
      batch,
      () => (column = rng.int(columnCount)),
      () => drawIndex(cdfs[column]!, rng.next()),
    );
  }

  /** Fills a ConditionBatch row by row, calling pickColumn then pickCategory per row. */
  private build(
    batch: number,
    pickColumn: () => number,
    pickCategory: () => number,
  ): ConditionBatch {
    const columns = new Int32Array(batch);
    const categories = new Int32Array(batch);
    const hot = new Int32Array(batch);
    for (let row = 0; row < batch; row++) {
      const column = pickColumn();
      const category = pickCategory();
      columns[row] = column;
      categories[row] = category;
      hot[row] = this.layout.discrete[column]!.condStart + category;
    }
    return { columns, categories, hot };
  }

  private requireIndex(): CategoryIndex[] {
    if (this.index === null) {
      throw new NotFittedError(
        'this ConditionSampler was made from counts and holds no training rows',
      );
    }
    return this.index;
  }
}

/** Index of the largest of values[start .. start + width) (the first on ties). */
function argmax(values: Float32Array, start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[start + k]! > values[start + best]!) best = k;
  return best;
}

/** Row ids grouped by category (a counting sort). */
function groupRows(categoryOf: Int32Array, counts: number[]): CategoryIndex {
  const offsets = new Int32Array(counts.length + 1);
  counts.forEach((count, k) => {
    offsets[k + 1] = offsets[k]! + count;
  });
  const cursor = offsets.slice(0, counts.length);
  const rows = new Int32Array(categoryOf.length);
  for (let row = 0; row < categoryOf.length; row++) rows[cursor[categoryOf[row]!]!++] = row;
  return { rows, offsets };
}

/** Normalized cumulative sums of non-negative weights. */
function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cdf = new Float64Array(weights.length);
  let running = 0;
  weights.forEach((weight, k) => {
    running += weight;
    cdf[k] = total > 0 ? running / total : (k + 1) / weights.length;
  });
  return cdf;
}

/** The first index whose cumulative probability exceeds u, skipping zero-probability entries. */
function drawIndex(cdf: Float64Array, u: number): number {
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cdf[middle]! > u) high = middle;
    else low = middle + 1;
  }
  // u can exceed the last entry by rounding (cdf[last] = 0.9999...): step back to a category
  // that has probability.
  while (low > 0 && cdf[low]! === cdf[low - 1]!) low--;
  return low;
}
