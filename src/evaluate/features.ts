// The model inputs of the usefulness check: numeric and datetime columns standardized with a
// null indicator, discrete columns one-hot over the categories of the training rows.
import type { EncodedColumn } from './columns.ts';
import type { Matrix } from '../transform/layout.ts';

/** Most categories one-hot encoded per column; rarer ones get no feature (all zeros). */
export const MAX_ONE_HOT = 100;

/** A numeric column's feature: (value - mean) / scale, and a null indicator when needed. */
interface NumericFeature {
  kind: 'numeric';
  index: number;
  mean: number;
  scale: number;
  nullFeature: boolean;
}

/** A discrete column's one-hot: the position of each code's feature, or -1 for none. */
interface OneHotFeature {
  kind: 'categorical';
  index: number;
  featureOfCode: Int32Array;
  width: number;
}

type ColumnFeature = NumericFeature | OneHotFeature;

/** A fitted mapping from encoded rows to a float32 feature matrix. */
export class FeatureEncoder {
  /** Width of a feature row. */
  readonly width: number;

  private constructor(
    private readonly features: ColumnFeature[],
    width: number,
  ) {
    this.width = width;
  }

  /**
   * Fits the encoding on the training rows only, so nothing leaks from the test rows.
   * @param columns the encoded columns
   * @param values one table's arrays, aligned with `columns`
   * @param rows the training rows of that table
   * @param exclude column indices to leave out (the target)
   * @returns the fitted encoder
   */
  static fit(
    columns: EncodedColumn[],
    values: (Float64Array | Int32Array)[],
    rows: Int32Array,
    exclude: ReadonlySet<number>,
  ): FeatureEncoder {
    const features: ColumnFeature[] = [];
    let width = 0;
    columns.forEach((column, index) => {
      if (exclude.has(index)) return;
      if (column.kind === 'numeric') {
        const feature = fitNumeric(values[index] as Float64Array, rows, index);
        features.push(feature);
        width += feature.nullFeature ? 2 : 1;
      } else {
        const feature = fitOneHot(values[index] as Int32Array, rows, column.labels.length, index);
        features.push(feature);
        width += feature.width;
      }
    });
    return new FeatureEncoder(features, width);
  }

  /**
   * The feature rows of some rows of a table encoded with the same columns.
   * @returns a [rows.length, width] matrix
   */
  transform(values: (Float64Array | Int32Array)[], rows: Int32Array): Matrix {
    const data = new Float32Array(rows.length * this.width);
    let offset = 0;
    for (const feature of this.features) {
      if (feature.kind === 'numeric') {
        const column = values[feature.index] as Float64Array;
        for (let i = 0; i < rows.length; i++) {
          const value = column[rows[i]!]!;
          const missing = Number.isNaN(value);
          // A null sits at the mean (0 after scaling); its indicator tells the model so.
          data[i * this.width + offset] = missing ? 0 : (value - feature.mean) / feature.scale;
          if (feature.nullFeature) data[i * this.width + offset + 1] = missing ? 1 : 0;
        }
        offset += feature.nullFeature ? 2 : 1;
      } else {
        const column = values[feature.index] as Int32Array;
        for (let i = 0; i < rows.length; i++) {
          const position = feature.featureOfCode[column[rows[i]!]!]!;
          if (position >= 0) data[i * this.width + offset + position] = 1;
        }
        offset += feature.width;
      }
    }
    return { data, rows: rows.length, cols: this.width };
  }
}

function fitNumeric(values: Float64Array, rows: Int32Array, index: number): NumericFeature {
  let count = 0;
  let total = 0;
  for (const row of rows) {
    const value = values[row]!;
    if (Number.isNaN(value)) continue;
    count++;
    total += value;
  }
  const mean = count === 0 ? 0 : total / count;
  let squares = 0;
  for (const row of rows) {
    const value = values[row]!;
    if (!Number.isNaN(value)) squares += (value - mean) ** 2;
  }
  const deviation = count === 0 ? 0 : Math.sqrt(squares / count);
  return {
    kind: 'numeric',
    index,
    mean,
    scale: deviation > 0 ? deviation : 1,
    nullFeature: count < rows.length,
  };
}

// Feature position per code: the MAX_ONE_HOT most frequent codes of the training rows get
// 0, 1, ... in code order; the others (and codes unseen in training) get -1, no feature.
function fitOneHot(
  codes: Int32Array,
  rows: Int32Array,
  size: number,
  index: number,
): OneHotFeature {
  const counts = new Float64Array(size);
  for (const row of rows) counts[codes[row]!]!++;
  const seen = Array.from({ length: size }, (_, code) => code).filter((code) => counts[code]! > 0);
  seen.sort((a, b) => counts[b]! - counts[a]! || a - b);
  const kept = seen.slice(0, MAX_ONE_HOT).sort((a, b) => a - b);
  const featureOfCode = new Int32Array(size).fill(-1);
  kept.forEach((code, position) => (featureOfCode[code] = position));
  return { kind: 'categorical', index, featureOfCode, width: kept.length };
}
