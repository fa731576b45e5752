// An exponential moving average of the generator's weights over training steps, the generator
// that is sampled. GAN training does not settle on one point: the last iterate's marginals swing
// from epoch to epoch (Adult's `>50K` share ranged 13 % to 44 % between epochs 7 and 25 of one
// run), and averaging the iterates evens that out (Yazici et al., "The Unusual Effectiveness of
// Averaging in GAN Training", ICLR 2019). BatchNorm's running statistics are averaged with the
// weights, an approximation: they are not recomputed for the averaged weights.
import { loadStateArray, type NamedArray, type Parameter } from './parameters.ts';

/** Prefix of the averages' names in a trainer state: 'average.<parameter name>'. */
export const AVERAGE_PREFIX = 'average.';

/** The average of a list of parameters (and buffers), in float32 master copies of its own. */
export class WeightAverage {
  /** Updates folded in so far (the warm-up's step count). */
  updates = 0;
  private readonly averages: Float32Array[];

  /**
   * Starts the average at the parameters' current values.
   * @param parameters what to average, e.g. the generator's weights and BatchNorm buffers
   * @param decay weight of the old average per update, in (0, 1); the average spans the last
   *   ~1 / (1 - decay) updates once warmed up (training.generatorAverageDecay)
   */
  constructor(
    readonly parameters: readonly Parameter[],
    readonly decay: number,
  ) {
    this.averages = parameters.map((parameter) => parameter.values.slice());
  }

  /**
   * The decay of the next update: min(decay, (1 + updates) / (10 + updates)), so that early in
   * training the average spans roughly the last tenth of the updates and does not drag the
   * random initial weights along (the warm-up of TensorFlow's ExponentialMovingAverage).
   */
  get currentDecay(): number {
    return Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
  }

  /** Folds the parameters' current values in: average = d average + (1 - d) value. */
  update(): void {
    const keep = this.currentDecay;
    for (let index = 0; index < this.parameters.length; index++) {
      mix(this.averages[index]!, this.parameters[index]!.values, keep);
    }
    this.updates += 1;
  }

  /** The averaged values under the parameters' own names (copies), e.g. for fromWeights. */
  weights(): NamedArray[] {
    return this.parameters.map((parameter, index) => ({
      name: parameter.name,
      shape: [...parameter.shape],
      values: this.averages[index]!.slice(),
    }));
  }

  /** The averages as state arrays, named 'average.<parameter name>' (copies). */
  toArrays(): NamedArray[] {
    return this.weights().map((entry) => ({ ...entry, name: AVERAGE_PREFIX + entry.name }));
  }

  /**
   * Restores the averages (from `toArrays`) and the update count.
   * @throws CheckpointError when an array is missing or has another size
   */
  load(arrays: readonly NamedArray[], updates: number): void {
    const byName = new Map(arrays.map((entry) => [entry.name, entry]));
    this.parameters.forEach((parameter, index) => {
      const name = AVERAGE_PREFIX + parameter.name;
      loadStateArray(byName, name, this.averages[index]!, 'weight average');
    });
    this.updates = updates;
  }
}

/** average = keep average + (1 - keep) values, element by element (in float64, then rounded). */
function mix(average: Float32Array, values: Float32Array, keep: number): void {
  const take = 1 - keep;
  for (let i = 0; i < average.length; i++) average[i] = keep * average[i]! + take * values[i]!;
}
