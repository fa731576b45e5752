// Mode-specific normalization of one numeric column (continuous, or datetime as epoch ms): the
// modes are exact point masses, mixture components and a null mode; a value becomes a scalar
// alpha plus the one-hot of its mode, and comes back from them (CTGAN paper, section 4.2).
import type { Rng } from '../util/rng.ts';
import { binSortedValues } from './binned-sample.ts';
import { fitMixture, type MixtureOptions } from './bgm.ts';
import { ALPHA_LIMIT, REACH, ensureCoverage, type ModeComponent } from './coverage.ts';
import { byCountThenValue, pointMassCandidates, sampleValues } from './numeric-scan.ts';
import type { NumberColumn } from './arrow-read.ts';

/** Bins the mixture sees (see binSortedValues); more changes the fit by < 1e-3 std. */
const MIXTURE_BINS = 2048;

/** How generated values are rounded: to decimals (continuous) or a time step (datetime). */
export type Rounding = { decimals: number } | { step: number } | null;

/**
 * What decoding does with a value beyond one end of the observed range (unless extrapolating).
 * - clip: the end value itself. Right where real rows pile up at the end (Adult's
 *   capital-gain is top-coded at 99999 in 0.5% of rows, age at 90).
 * - fold: reflected back inside (max - (value - max)). Right where the end is just the last
 *   of many spread values (a date column, one row a day): clipping would pile every overshoot
 *   of the generator onto one value (8% of generated Seattle weather dates were 2015-12-31).
 */
export type BoundaryRule = 'clip' | 'fold';

/** Everything a fitted numeric column model holds; JSON-safe. */
export interface NumericModelJSON {
  /** Rows and missing rows seen at fit time. */
  rows: number;
  nulls: number;
  /** Observed range; generated values stay in it (see boundaries) unless `extrapolate`. */
  min: number;
  max: number;
  extrapolate: boolean;
  /** What happens beyond min and beyond max. */
  boundaries: { min: BoundaryRule; max: BoundaryRule };
  rounding: Rounding;
  /** Values holding at least pointMassShare of the present rows, ascending, with counts. */
  pointMasses: { value: number; count: number }[];
  /** Mixture components, ascending by mean; weights sum to 1 over the mixture's rows. */
  components: ModeComponent[];
  /** Whether the mode span ends with a null mode. */
  nullMode: boolean;
  /** How the fit went, for `describe` and logs. */
  fit: {
    sampleRows: number;
    iterations: number;
    converged: boolean;
    merged: number;
    dropped: number;
    uncoveredRows: number;
    coverageAdded: number;
    widened: number;
  };
}

/** Where a numeric column's spans sit in a matrix row. */
export interface SpanPlace {
  /** Width of a matrix row (dataDim). */
  cols: number;
  /** Offset of the alpha span. */
  alphaColumn: number;
  /** Offset of the mode span. */
  modeStart: number;
}

/** Drops the validity array of decoded output that holds no null. */
export function finishOutput(out: NumberColumn): NumberColumn {
  return out.nulls === 0 ? { ...out, valid: null } : out;
}

/** Options of NumericModel.fit. */
export interface NumericFitOptions extends MixtureOptions {
  /** Most rows the mixture is fitted on (a seeded sample). */
  fitRows: number;
  /**
   * Share of the present rows, less those of more frequent point masses, that makes a value
   * a point mass; >= 1 turns them off.
   */
  pointMassShare: number;
  /** Most point masses per column; 0 turns them off. */
  maxPointMasses: number;
  /** How decoded values are rounded (from the column's observed resolution). */
  rounding: Rounding;
  /** Whether decoded values may leave [min, max]. */
  extrapolate: boolean;
  /** Observed range of the present values. */
  min: number;
  max: number;
  /** What decoding does beyond each end (see BoundaryRule). */
  boundaries: { min: BoundaryRule; max: BoundaryRule };
}

/**
 * The fitted model of one numeric column. Its mode span lists point masses (ascending value),
 * then mixture components (ascending mean), then the null mode if the column had nulls.
 */
export class NumericModel {
  private readonly means: Float64Array;
  private readonly stds: Float64Array;
  /** ln(weight / std) of each component, the constant part of its posterior. */
  private readonly logScales: Float64Array;
  private readonly massValues: Float64Array;
  private readonly probabilities: Float64Array;
  private readonly round: (value: number) => number;

  private constructor(readonly state: NumericModelJSON) {
    const components = state.components;
    this.means = Float64Array.from(components, (component) => component.mean);
    this.stds = Float64Array.from(components, (component) => component.std);
    this.logScales = Float64Array.from(components, (c) => Math.log(c.weight) - Math.log(c.std));
    this.massValues = Float64Array.from(state.pointMasses, (mass) => mass.value);
    this.probabilities = new Float64Array(components.length);
    this.round = roundingFunction(state.rounding);
  }

  /**
   * Fits point masses, the mixture and coverage to a column.
   * @param column the column's values
   * @param options see NumericFitOptions
   * @param rng the column's own random stream (for the samples)
   */
  static fit(column: NumberColumn, options: NumericFitOptions, rng: Rng): NumericModel {
    const { values, valid, nulls } = column;
    const isPresent = (row: number): boolean => valid === null || valid[row] === 1;
    const pointMasses = findPointMasses(column, isPresent, options, rng);

    // The mixture, on a sample of the rows that are present and not point masses.
    const massValues = new Set(pointMasses.map((mass) => mass.value));
    const inMixture = (row: number): boolean => isPresent(row) && !massValues.has(values[row]!);
    let mixtureRows = values.length - nulls;
    for (const mass of pointMasses) mixtureRows -= mass.count;
    const components: ModeComponent[] = [];
    let fitState: NumericModelJSON['fit'] = {
      sampleRows: 0,
      iterations: 0,
      converged: true,
      merged: 0,
      dropped: 0,
      uncoveredRows: 0,
      coverageAdded: 0,
      widened: 0,
    };
    if (mixtureRows > 0) {
      const sample = sampleValues(values, inMixture, mixtureRows, options.fitRows, rng).sort();
      const fit = fitMixture(binSortedValues(sample, MIXTURE_BINS), options);
      for (const component of fit.components) components.push({ ...component, coverage: false });
      const coverage = ensureCoverage(components, values, inMixture, mixtureRows, options);
      fitState = {
        sampleRows: sample.length,
        iterations: fit.iterations,
        converged: fit.converged,
        merged: fit.merged,
        dropped: fit.dropped,
        uncoveredRows: coverage.uncoveredRows,
        coverageAdded: coverage.added,
        widened: coverage.widened,
      };
    }

    return new NumericModel({
      rows: values.length,
      nulls,
      min: options.min,
      max: options.max,
      extrapolate: options.extrapolate,
      boundaries: { ...options.boundaries },
      rounding: options.rounding,
      pointMasses,
      components,
      nullMode: nulls > 0,
      fit: fitState,
    });
  }

  /** Rebuilds a model from its JSON state. */
  static fromJSON(state: NumericModelJSON): NumericModel {
    return new NumericModel(structuredClone(state));
  }

  /** Width of the mode span. */
  get modeCount(): number {
    const { pointMasses, components, nullMode } = this.state;
    return pointMasses.length + components.length + (nullMode ? 1 : 0);
  }

  /**
   * Writes alpha and the mode one-hot of every row into a zeroed matrix.
   * @param column the values to encode
   * @param matrix row-major [rows, cols] output
   * @param cols width of a matrix row (dataDim)
   * @param alphaColumn offset of the alpha span in a row
   * @param modeStart offset of the mode span in a row
   * @param rng draws the mode of each mixture value from its posterior among the components
   *   that reach it (one draw per such value, in row order)
   */
  transform(
    column: NumberColumn,
    matrix: Float32Array,
    cols: number,
    alphaColumn: number,
    modeStart: number,
    rng: Rng,
  ): void {
    const place = { cols, alphaColumn, modeStart };
    this.encodeRows(column, matrix, place, 0, column.values.length, rng);
  }

  /**
   * Encodes rows [from, to) of `column` into the same rows of `matrix` (see transform).
   * Callers that encode a table block by block keep the draws in row order per column.
   */
  encodeRows(
    column: NumberColumn,
    matrix: Float32Array,
    place: SpanPlace,
    from: number,
    to: number,
    rng: Rng,
  ): void {
    const { values, valid } = column;
    const { cols, alphaColumn, modeStart } = place;
    const { pointMasses, components, nullMode } = this.state;
    const massCount = pointMasses.length;
    // A null in a column fitted without nulls has no mode: it takes the first one.
    const nullSlot = modeStart + (nullMode ? massCount + components.length : 0);

    for (let row = from; row < to; row++) {
      const base = row * cols;
      if (valid !== null && valid[row] === 0) {
        matrix[base + nullSlot] = 1;
        continue;
      }
      const value = values[row]!;
      let mass = -1;
      for (let index = 0; index < massCount; index++) {
        if (this.massValues[index] === value) {
          mass = index;
          break;
        }
      }
      if (mass >= 0 || components.length === 0) {
        matrix[base + modeStart + Math.max(mass, 0)] = 1;
        continue;
      }
      const mode = this.drawMode(value, rng);
      const alpha = (value - this.means[mode]!) / (4 * this.stds[mode]!);
      matrix[base + alphaColumn] = Math.max(-ALPHA_LIMIT, Math.min(ALPHA_LIMIT, alpha));
      matrix[base + modeStart + massCount + mode] = 1;
    }
  }

  /**
   * Decodes rows: the mode is the argmax of the mode span; a point mass gives its value, the
   * null mode a null, a component mean + 4 std alpha (alpha clipped to [-1, 1], non-finite
   * alpha read as 0), brought into [min, max] by the boundary rules unless extrapolating,
   * then rounded.
   * @param matrix row-major [rows, cols]
   * @returns values and validity (null when no row is null)
   */
  inverse(
    matrix: Float32Array,
    rows: number,
    cols: number,
    alphaColumn: number,
    modeStart: number,
  ): NumberColumn {
    const out = this.allocateOutput(rows);
    this.decodeRows(matrix, { cols, alphaColumn, modeStart }, 0, rows, out);
    return finishOutput(out);
  }

  /** Output arrays for decodeRows over `rows` rows. */
  allocateOutput(rows: number): NumberColumn {
    const valid = this.state.nullMode ? new Uint8Array(rows).fill(1) : null;
    return { values: new Float64Array(rows), valid, nulls: 0 };
  }

  /** Decodes rows [from, to) of `matrix` into the same rows of `out` (see inverse). */
  decodeRows(
    matrix: Float32Array,
    place: SpanPlace,
    from: number,
    to: number,
    out: NumberColumn,
  ): void {
    const { cols, alphaColumn, modeStart } = place;
    const { pointMasses, min, max, extrapolate } = this.state;
    const foldMin = this.state.boundaries.min === 'fold';
    const foldMax = this.state.boundaries.max === 'fold';
    const massCount = pointMasses.length;
    const width = this.modeCount;
    const nullIndex = this.state.nullMode ? width - 1 : -1;
    const { values, valid } = out;

    for (let row = from; row < to; row++) {
      const base = row * cols + modeStart;
      let mode = 0;
      let best = matrix[base]!;
      for (let index = 1; index < width; index++) {
        if (matrix[base + index]! > best) {
          best = matrix[base + index]!;
          mode = index;
        }
      }
      if (mode === nullIndex) {
        valid![row] = 0;
        out.nulls++;
      } else if (mode < massCount) {
        values[row] = this.massValues[mode]!;
      } else {
        const component = mode - massCount;
        const raw = matrix[row * cols + alphaColumn]!;
        const alpha = raw > 1 ? 1 : raw < -1 ? -1 : raw === raw ? raw : 0;
        let value = this.means[component]! + 4 * this.stds[component]! * alpha;
        if (!extrapolate) {
          if (value > max && foldMax) value = 2 * max - value;
          if (value < min && foldMin) value = 2 * min - value;
          // What is still outside (a clip rule, or a fold past the other end) is clipped.
          value = value < min ? min : value > max ? max : value;
        }
        values[row] = this.round(value);
      }
    }
  }

  /** The JSON-safe state (a copy). */
  toJSON(): NumericModelJSON {
    return structuredClone(this.state);
  }

  /** Picks a component for `value` among those that reach it, by posterior probability. */
  private drawMode(value: number, rng: Rng): number {
    const probabilities = this.probabilities;
    let total = 0;
    let nearest = 0;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < probabilities.length; k++) {
      const z = (value - this.means[k]!) / this.stds[k]!;
      const distance = Math.abs(z);
      if (distance < nearestDistance) {
        nearestDistance = distance;
        nearest = k;
      }
      probabilities[k] = distance <= REACH ? Math.exp(this.logScales[k]! - 0.5 * z * z) : 0;
      total += probabilities[k]!;
    }
    const draw = rng.next() * total;
    // A value no component reaches (only possible for rows not seen at fit time) takes the
    // nearest component and comes back clipped.
    if (!(total > 0)) return nearest;
    let cumulative = 0;
    let last = nearest;
    for (let k = 0; k < probabilities.length; k++) {
      if (probabilities[k] === 0) continue;
      cumulative += probabilities[k]!;
      last = k;
      if (draw < cumulative) return k;
    }
    return last;
  }
}

/**
 * The column's point masses, ascending by value. Taken by count, most frequent first, while
 * each value holds at least pointMassShare of the present rows that the more frequent point
 * masses leave, and at least 2 rows, up to maxPointMasses. So a value that dominates the
 * column is one (Adult's capital-gain: 0 in 91.7% of rows), and so are the values that
 * dominate what is left (15024, 7688, 7298, 99999, 3103 and 5178, 0.3-1.1% of the rows each but
 * 6-13% of the non-zero ones, and the values that most sharply tell the income classes apart),
 * while a column without a dominant value has none. Candidates come from a sample of at most
 * fitRows rows; the exact counts over the whole column decide.
 */
function findPointMasses(
  column: NumberColumn,
  isPresent: (row: number) => boolean,
  options: NumericFitOptions,
  rng: Rng,
): { value: number; count: number }[] {
  const { values, nulls } = column;
  const present = values.length - nulls;
  const { pointMassShare: share, maxPointMasses: limit } = options;
  if (share >= 1 || limit === 0 || present === 0) return [];
  const probe = sampleValues(values, isPresent, present, options.fitRows, rng).sort();
  // Twice the limit: the sample's order of close counts may differ from the column's.
  const candidates = pointMassCandidates(probe, share, 2 * limit);
  const counts = new Map(candidates.map((value) => [value, 0]));
  if (counts.size === 0) return [];
  for (let row = 0; row < values.length; row++) {
    const count = isPresent(row) ? counts.get(values[row]!) : undefined;
    if (count !== undefined) counts.set(values[row]!, count + 1);
  }
  const byCount = [...counts].map(([value, count]) => ({ value, count })).sort(byCountThenValue);
  const masses: { value: number; count: number }[] = [];
  let rest = present;
  for (const mass of byCount) {
    if (masses.length >= limit || mass.count < 2 || mass.count < share * rest) break;
    masses.push(mass);
    rest -= mass.count;
  }
  return masses.sort((left, right) => left.value - right.value);
}

function roundingFunction(rounding: Rounding): (value: number) => number {
  if (rounding === null) return (value) => value;
  if ('step' in rounding) {
    const step = rounding.step;
    return (value) => Math.round(value / step) * step;
  }
  const scale = 10 ** rounding.decimals;
  return (value) => Math.round(value * scale) / scale;
}
