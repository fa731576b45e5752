// The Bayesian Gaussian mixture that finds the modes of a numeric column: variational
// inference with a Dirichlet-process prior (./variational-mixture.ts), started from quantile
// groups, then greedy merges of neighbouring components while they raise the lower bound.
import { VariationalMixture, type MixturePrior } from './variational-mixture.ts';
import type { BinnedSample } from './binned-sample.ts';

/** How the mixture is fitted. Field defaults come from TransformConfig (the paper's values). */
export interface MixtureOptions {
  /** Most components (truncation level of the Dirichlet process); the paper uses 10. */
  maxComponents: number;
  /** Dirichlet-process weight-concentration prior; the paper uses 0.001. */
  weightConcentration: number;
  /** Components with a smaller share of the fitted rows are dropped; the paper uses 0.005. */
  minWeight: number;
  /** Most rounds of coordinate ascent per run (the first fit and each refit). */
  maxIterations: number;
  /** A run stops when the lower bound per row improves by less than this (nats). */
  tolerance: number;
}

/** One Gaussian component, in the units of the data. */
export interface MixtureComponent {
  /** Share of the fitted rows, in (0, 1]; the weights of a fit sum to 1. */
  weight: number;
  mean: number;
  /** Posterior-mean standard deviation, 1 / sqrt(E[precision]); always > 0. */
  std: number;
}

/** The outcome of fitMixture. */
export interface MixtureFit {
  /** Kept components, in increasing order of mean. */
  components: MixtureComponent[];
  /** Rounds of coordinate ascent run in total, merge trials included. */
  iterations: number;
  /** Whether the last run stopped on the tolerance rather than on maxIterations. */
  converged: boolean;
  /** Evidence lower bound per row before light components were dropped (standardized nats). */
  lowerBound: number;
  /** Components removed by accepted merges. */
  merged: number;
  /** Components removed for a weight below minWeight. */
  dropped: number;
}

/** Rounds of coordinate ascent a merge trial gets before it is compared with the current fit. */
const MERGE_TRIAL_ITERATIONS = 20;

/**
 * Fits a Bayesian Gaussian mixture to binned values.
 *
 * Unlike scikit-learn's BayesianGaussianMixture (which CTGAN uses), it starts from quantile
 * groups instead of k-means (no randomness), and after the first run it tries merging every
 * pair of neighbouring components and keeps the best merge while the lower bound rises. Plain
 * coordinate ascent leaves a true component split in two for hundreds of iterations (sklearn
 * keeps 8 components for a 3-component mixture); the merge move removes such splits directly.
 * @param bins the values (see binSortedValues); must hold at least one row
 * @param options see MixtureOptions
 * @returns the kept components, sorted by mean, with weights summing to 1
 * @throws Error when `bins` is empty (an internal error: callers skip empty columns)
 */
export function fitMixture(bins: BinnedSample, options: MixtureOptions): MixtureFit {
  if (bins.total <= 0) throw new Error('fitMixture: no values to fit');
  const { standardized, center, scale } = standardize(bins);
  const prior: MixturePrior = {
    weightConcentration: options.weightConcentration,
    meanPrior: 0,
    meanPrecisionPrior: 1,
    // nu0 = 1 and W0^-1 = the data's variance (1 after standardizing), as scikit-learn does.
    precisionShape: 0.5,
    precisionRate: 0.5 * Math.max(weightedVariance(standardized), 1e-12),
  };
  const tolerance = options.tolerance * bins.total;
  let iterations = 0;

  // First run from quantile groups.
  let state = new VariationalMixture(
    standardized,
    prior,
    quantileResponsibilities(standardized, options.maxComponents),
  );
  let run = runToConvergence(state, options.maxIterations, tolerance);
  iterations += run.iterations;

  // Greedy merges of neighbouring components.
  let merged = 0;
  while (state.size > 1) {
    const trial = bestMerge(state, standardized, prior, tolerance);
    iterations += trial.iterations;
    if (!(trial.lowerBound > run.lowerBound)) break;
    state = trial.state;
    run = runToConvergence(state, options.maxIterations, tolerance);
    iterations += run.iterations;
    merged++;
  }

  // Drop light components (and empty ones: under half a row); the heaviest always stays. The
  // kept ones keep their parameters: a refit would stretch them over the dropped components'
  // far-away rows, and those rows are the coverage step's job (see ./coverage.ts).
  const heaviest = state.mass.indexOf(Math.max(...state.mass));
  const keep = Array.from({ length: state.size }, (_, k) => k).filter(
    (k) =>
      k === heaviest || (state.mass[k]! >= 0.5 && state.mass[k]! / bins.total >= options.minWeight),
  );
  const dropped = state.size - keep.length;

  return {
    components: describeComponents(state, keep, center, scale),
    iterations,
    converged: run.converged,
    lowerBound: run.lowerBound / bins.total,
    merged,
    dropped,
  };
}

interface RunResult {
  lowerBound: number;
  iterations: number;
  converged: boolean;
}

function runToConvergence(
  state: VariationalMixture,
  maxIterations: number,
  tolerance: number,
): RunResult {
  let previous = Number.NEGATIVE_INFINITY;
  let lowerBound = previous;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    lowerBound = state.step();
    if (Math.abs(lowerBound - previous) < tolerance) {
      return { lowerBound, iterations: iteration, converged: true };
    }
    previous = lowerBound;
  }
  return { lowerBound, iterations: maxIterations, converged: false };
}

/** Tries every merge of two components adjacent in mean; returns the best trial. */
function bestMerge(
  state: VariationalMixture,
  bins: BinnedSample,
  prior: MixturePrior,
  tolerance: number,
): { state: VariationalMixture; lowerBound: number; iterations: number } {
  const order = Array.from({ length: state.size }, (_, k) => k).sort(
    (left, right) => state.mean[left]! - state.mean[right]!,
  );
  let best = { state, lowerBound: Number.NEGATIVE_INFINITY, iterations: 0 };
  let iterations = 0;
  for (let position = 0; position + 1 < order.length; position++) {
    const trial = new VariationalMixture(
      bins,
      prior,
      mergeColumns(state, order[position]!, order[position + 1]!),
    );
    const run = runToConvergence(trial, MERGE_TRIAL_ITERATIONS, tolerance);
    iterations += run.iterations;
    if (run.lowerBound > best.lowerBound) {
      best = { state: trial, lowerBound: run.lowerBound, iterations: 0 };
    }
  }
  best.iterations = iterations;
  return best;
}

/** Responsibilities with component `drop` folded into component `into`. */
function mergeColumns(state: VariationalMixture, into: number, drop: number): Float64Array {
  const size = state.size;
  const rows = state.resp.length / size;
  const result = new Float64Array(rows * (size - 1));
  for (let b = 0; b < rows; b++) {
    let target = 0;
    for (let k = 0; k < size; k++) {
      if (k === drop) continue;
      let value = state.resp[b * size + k]!;
      if (k === into) value += state.resp[b * size + drop]!;
      result[b * (size - 1) + target] = value;
      target++;
    }
  }
  return result;
}

/**
 * Hard responsibilities that cut the bins into `groups` runs of equal row count (quantiles);
 * groups left empty by heavy bins are removed.
 */
function quantileResponsibilities(bins: BinnedSample, groups: number): Float64Array {
  const binCount = bins.count.length;
  const wanted = Math.max(1, Math.min(groups, binCount));
  const group = new Int32Array(binCount);
  let cumulative = 0;
  for (let b = 0; b < binCount; b++) {
    const middle = cumulative + bins.count[b]! / 2;
    group[b] = Math.min(wanted - 1, Math.floor((middle / bins.total) * wanted));
    cumulative += bins.count[b]!;
  }

  // Renumber the groups that received bins as 0..used-1.
  const renumber = new Int32Array(wanted).fill(-1);
  let used = 0;
  for (let b = 0; b < binCount; b++) {
    if (renumber[group[b]!] === -1) renumber[group[b]!] = used++;
  }
  const resp = new Float64Array(binCount * used);
  for (let b = 0; b < binCount; b++) resp[b * used + renumber[group[b]!]!] = 1;
  return resp;
}

function standardize(bins: BinnedSample): {
  standardized: BinnedSample;
  center: number;
  scale: number;
} {
  let sum = 0;
  for (let b = 0; b < bins.count.length; b++) sum += bins.count[b]! * bins.mean[b]!;
  const center = sum / bins.total;
  const variance = weightedVariance(bins, center);
  // A column with one distinct value gets an arbitrary positive scale: only its mean matters.
  const scale = variance > 0 ? Math.sqrt(variance) : 1e-6 * Math.max(Math.abs(center), 1);
  const mean = new Float64Array(bins.count.length);
  const within = new Float64Array(bins.count.length);
  for (let b = 0; b < bins.count.length; b++) {
    mean[b] = (bins.mean[b]! - center) / scale;
    within[b] = bins.variance[b]! / (scale * scale);
  }
  return {
    standardized: { count: bins.count, mean, variance: within, total: bins.total },
    center,
    scale,
  };
}

/** Variance of all rows of the bins around `center` (default: their mean). */
function weightedVariance(bins: BinnedSample, center?: number): number {
  let middle = center;
  if (middle === undefined) {
    let sum = 0;
    for (let b = 0; b < bins.count.length; b++) sum += bins.count[b]! * bins.mean[b]!;
    middle = sum / bins.total;
  }
  let scatter = 0;
  for (let b = 0; b < bins.count.length; b++) {
    const delta = bins.mean[b]! - middle;
    scatter += bins.count[b]! * (delta * delta + bins.variance[b]!);
  }
  return scatter / bins.total;
}

function describeComponents(
  state: VariationalMixture,
  keep: number[],
  center: number,
  scale: number,
): MixtureComponent[] {
  let keptMass = 0;
  for (const k of keep) keptMass += state.mass[k]!;
  const components = keep.map((k) => ({
    weight: state.mass[k]! / keptMass,
    mean: center + scale * state.mean[k]!,
    std: scale * state.std(k),
  }));
  return components.sort((left, right) => left.mean - right.mean);
}
