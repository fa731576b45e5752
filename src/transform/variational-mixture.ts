// Coordinate-ascent variational inference for a one-dimensional Gaussian mixture with a
// truncated Dirichlet-process (stick-breaking) prior on the weights and Gaussian-Gamma priors
// on each component's mean and precision (Bishop, PRML 10.2, with Blei and Jordan's sticks).
import { digamma, lnBeta, lnGamma } from './special.ts';
import type { BinnedSample } from './binned-sample.ts';

const LOG_TWO_PI = Math.log(2 * Math.PI);
/** Keeps an empty component's statistics finite (scikit-learn adds 10 x float eps too). */
const EMPTY_MASS = 1e-10;

/** The priors of the model, in the (standardized) units of the bins. */
export interface MixturePrior {
  /** Dirichlet-process concentration gamma0 of every stick's Beta(1, gamma0) prior. */
  weightConcentration: number;
  /** Prior mean m0 of every component's mean. */
  meanPrior: number;
  /** Pseudo-count beta0 of the mean prior. */
  meanPrecisionPrior: number;
  /** Shape a0 of the Gamma prior on a precision (a Wishart with nu0 = 2 a0 dof in 1-D). */
  precisionShape: number;
  /** Rate b0 of the Gamma prior on a precision (half the prior's variance sum W0^-1). */
  precisionRate: number;
}

/**
 * The state of the variational posterior: responsibilities of every bin plus the posterior
 * parameters of every component. Bins tie the responsibilities of the rows they hold, which
 * is a narrower variational family, so the lower bound stays a true lower bound.
 */
export class VariationalMixture {
  /** Number of components. */
  readonly size: number;
  /** [bins, size] responsibilities, row-major. */
  readonly resp: Float64Array;
  /** Posterior parameters of each component: mass, mean, mean pseudo-count, Gamma shape/rate. */
  readonly mass: Float64Array;
  readonly mean: Float64Array;
  readonly meanCount: Float64Array;
  readonly shape: Float64Array;
  readonly rate: Float64Array;
  /** E[ln pi_k] under the stick-breaking posterior. */
  private readonly logWeight: Float64Array;

  /**
   * @param bins the data, already standardized
   * @param prior the model's priors
   * @param resp initial [bins, size] responsibilities (rows need not be normalized)
   */
  constructor(
    private readonly bins: BinnedSample,
    private readonly prior: MixturePrior,
    resp: Float64Array,
  ) {
    this.size = resp.length / bins.count.length;
    this.resp = resp;
    this.mass = new Float64Array(this.size);
    this.mean = new Float64Array(this.size);
    this.meanCount = new Float64Array(this.size);
    this.shape = new Float64Array(this.size);
    this.rate = new Float64Array(this.size);
    this.logWeight = new Float64Array(this.size);
  }

  /**
   * One round of coordinate ascent: component posteriors from the responsibilities, then
   * responsibilities from the component posteriors.
   * @returns the evidence lower bound after the round, in nats (summed over rows)
   */
  step(): number {
    this.updateComponents();
    return this.updateResponsibilities() - this.divergence();
  }

  /** Posterior of each component's mean, precision and stick from the responsibilities. */
  updateComponents(): void {
    const { count, mean: binMean, variance: binVariance } = this.bins;
    const { meanPrior, meanPrecisionPrior, precisionShape, precisionRate } = this.prior;
    const size = this.size;
    for (let k = 0; k < size; k++) {
      // Responsibility-weighted count, mean and scatter of the data.
      let mass = EMPTY_MASS;
      let sum = 0;
      for (let b = 0; b < count.length; b++) {
        const weight = count[b]! * this.resp[b * size + k]!;
        mass += weight;
        sum += weight * binMean[b]!;
      }
      const dataMean = sum / mass;
      let scatter = 0;
      for (let b = 0; b < count.length; b++) {
        const weight = count[b]! * this.resp[b * size + k]!;
        const delta = binMean[b]! - dataMean;
        scatter += weight * (delta * delta + binVariance[b]!);
      }

      // Gaussian-Gamma posterior (PRML 10.60-10.63 in one dimension).
      const meanCount = meanPrecisionPrior + mass;
      const shift = dataMean - meanPrior;
      this.mass[k] = mass;
      this.meanCount[k] = meanCount;
      this.mean[k] = (meanPrecisionPrior * meanPrior + mass * dataMean) / meanCount;
      this.shape[k] = precisionShape + 0.5 * mass;
      this.rate[k] =
        precisionRate + 0.5 * (scatter + (meanPrecisionPrior * mass * shift * shift) / meanCount);
    }
    this.updateSticks();
  }

  /**
   * Responsibilities from the current component posteriors.
   * @returns the expected log joint of the data summed over rows, plus the entropy of the
   *   responsibilities (sum over bins of count x logsumexp)
   */
  updateResponsibilities(): number {
    const { count, mean: binMean, variance: binVariance } = this.bins;
    const size = this.size;
    const offsets = new Float64Array(size);
    const precisions = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const logPrecision = digamma(this.shape[k]!) - Math.log(this.rate[k]!);
      precisions[k] = this.shape[k]! / this.rate[k]!;
      offsets[k] =
        this.logWeight[k]! + 0.5 * logPrecision - 0.5 * LOG_TWO_PI - 0.5 / this.meanCount[k]!;
    }

    let total = 0;
    for (let b = 0; b < count.length; b++) {
      const row = b * size;
      let best = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < size; k++) {
        // Average over the bin's rows of E[ln pi_k + ln N(x | mu_k, 1 / lambda_k)].
        const delta = binMean[b]! - this.mean[k]!;
        const logRho = offsets[k]! - 0.5 * precisions[k]! * (delta * delta + binVariance[b]!);
        this.resp[row + k] = logRho;
        if (logRho > best) best = logRho;
      }
      let sum = 0;
      for (let k = 0; k < size; k++) {
        // exp(-40) < 5e-18: below float64 resolution next to the best component's 1.
        const gap = this.resp[row + k]! - best;
        const value = gap < -40 ? 0 : Math.exp(gap);
        this.resp[row + k] = value;
        sum += value;
      }
      for (let k = 0; k < size; k++) this.resp[row + k]! /= sum;
      total += count[b]! * (best + Math.log(sum));
    }
    return total;
  }

  /** KL divergence of the sticks' and components' posteriors from their priors. */
  divergence(): number {
    const { weightConcentration, meanPrior, meanPrecisionPrior } = this.prior;
    const { precisionShape: shape0, precisionRate: rate0 } = this.prior;
    let total = 0;

    // Sticks, in the order of decreasing mass used by updateSticks.
    const order = this.massOrder();
    let remaining = 0;
    for (const k of order) remaining += this.mass[k]!;
    for (const k of order) {
      remaining -= this.mass[k]!;
      const alpha = 1 + this.mass[k]!;
      const beta = weightConcentration + Math.max(remaining, 0);
      total += betaDivergence(alpha, beta, 1, weightConcentration);
    }

    for (let k = 0; k < this.size; k++) {
      const shape = this.shape[k]!;
      const rate = this.rate[k]!;
      const ratio = meanPrecisionPrior / this.meanCount[k]!;
      const shift = this.mean[k]! - meanPrior;
      // KL of Gamma(shape, rate) from Gamma(shape0, rate0), then of the conditional normal.
      total +=
        (shape - shape0) * digamma(shape) -
        lnGamma(shape) +
        lnGamma(shape0) +
        shape0 * (Math.log(rate) - Math.log(rate0)) +
        (shape * (rate0 - rate)) / rate;
      total +=
        0.5 * (ratio - 1 - Math.log(ratio) + meanPrecisionPrior * (shape / rate) * shift * shift);
    }
    return total;
  }

  /** Posterior mean of each component's standard deviation, 1 / sqrt(E[lambda]). */
  std(k: number): number {
    return Math.sqrt(this.rate[k]! / this.shape[k]!);
  }

  /**
   * E[ln pi_k] for every component under the stick-breaking posterior. Sticks are broken in
   * the order of decreasing mass, the ordering that the DP prior favours (it puts the most
   * weight on early sticks), so relabelling never costs lower bound.
   */
  private updateSticks(): void {
    const { weightConcentration } = this.prior;
    const order = this.massOrder();
    let remaining = 0;
    for (const k of order) remaining += this.mass[k]!;
    let logRest = 0;
    for (const k of order) {
      remaining -= this.mass[k]!;
      const alpha = 1 + this.mass[k]!;
      const beta = weightConcentration + Math.max(remaining, 0);
      const logTotal = digamma(alpha + beta);
      this.logWeight[k] = digamma(alpha) - logTotal + logRest;
      logRest += digamma(beta) - logTotal;
    }
  }

  private massOrder(): number[] {
    const order = Array.from({ length: this.size }, (_, k) => k);
    return order.sort((left, right) => this.mass[right]! - this.mass[left]! || left - right);
  }
}

/** KL(Beta(a, b) || Beta(a0, b0)). */
function betaDivergence(a: number, b: number, a0: number, b0: number): number {
  return (
    lnBeta(a0, b0) -
    lnBeta(a, b) +
    (a - a0) * digamma(a) +
    (b - b0) * digamma(b) +
    (a0 - a + b0 - b) * digamma(a + b)
  );
}
