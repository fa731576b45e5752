// Adam as PyTorch's torch.optim.Adam computes it (not AdamW): L2 weight decay added to the
// gradient, bias-corrected moments. It runs in a WebAssembly SIMD kernel over master copies kept
// in the kernel's memory; its state (m, v, step) can be saved and restored exactly.
import { type AdamKernel, createAdamKernel } from './adam-kernel.ts';
import { loadStateArray, type NamedArray, type ParameterSet } from './parameters.ts';

/** Hyper-parameters of Adam. */
export interface AdamSettings {
  /** Step size (training.generatorLr / discriminatorLr; CTGAN: 2e-4). */
  learningRate: number;
  /** Decay of the first moment (CTGAN: 0.5). */
  beta1: number;
  /** Decay of the second moment (CTGAN: 0.9). */
  beta2: number;
  /** Added to the denominator (PyTorch's default 1e-8). */
  epsilon: number;
  /** L2 penalty added to the gradient (CTGAN: 1e-6). */
  weightDecay: number;
}

/** Where one parameter's arrays sit in the kernel's memory (float32 index of its values). */
interface Slot {
  start: number;
  size: number;
}

/** Adam over one ParameterSet. */
export class Adam {
  /** Number of updates applied so far (PyTorch's `step`). */
  step = 0;
  private readonly kernel: AdamKernel;
  private readonly slots: Slot[];
  /** Float32 values per region: values, gradients, first moments, second moments. */
  private readonly regionSize: number;

  /**
   * Moves the parameters' master copies into the kernel's memory.
   * @param parameters the parameters to update
   * @param settings hyper-parameters
   * @param name prefix of the state's array names, e.g. 'adam.generator'
   */
  constructor(
    readonly parameters: ParameterSet,
    readonly settings: AdamSettings,
    readonly name: string,
  ) {
    // Each parameter starts at a multiple of 4 floats (16 bytes), the kernel's vector width.
    let cursor = 0;
    this.slots = parameters.parameters.map((parameter) => {
      const slot = { start: cursor, size: parameter.values.length };
      cursor += Math.ceil(slot.size / 4) * 4;
      return slot;
    });
    this.regionSize = Math.max(4, cursor);
    this.kernel = createAdamKernel(4 * this.regionSize * 4);
    parameters.parameters.forEach((parameter, index) => parameter.moveTo(this.view(0, index)));
  }

  /**
   * One Adam update:
   *   g = gradient + weightDecay * p;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
   *   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
   * in float32, as PyTorch computes it. Nothing changes unless every new value (parameters and
   * second moments) is finite.
   * @param gradients one array per parameter, in order, of the parameter's size
   * @returns false (and no change) when a value would not be finite
   */
  apply(gradients: readonly Float32Array[]): boolean {
    gradients.forEach((gradient, index) => this.view(1, index).set(gradient));
    const { learningRate, beta1, beta2, epsilon, weightDecay } = this.settings;
    const step = this.step + 1;
    const bytes = 4 * this.regionSize;
    const call = {
      values: 0,
      gradients: bytes,
      first: 2 * bytes,
      second: 3 * bytes,
      count: this.regionSize,
      beta1,
      beta2,
      weightDecay,
      stepSize: learningRate / (1 - beta1 ** step),
      inverseCorrection2: 1 / Math.sqrt(1 - beta2 ** step),
      epsilon,
    };
    // A first pass only checks, so that a non-finite update leaves everything as it was.
    if (!this.kernel.update(call, false)) return false;
    this.kernel.update(call, true);
    for (const parameter of this.parameters.parameters) parameter.changed();
    this.step = step;
    return true;
  }

  /** The moments as named arrays ('<name>.m.<parameter>', '<name>.v.<parameter>'). */
  toArrays(): NamedArray[] {
    return this.parameters.parameters.flatMap((parameter, index) => [
      {
        name: `${this.name}.m.${parameter.name}`,
        shape: [...parameter.shape],
        values: this.view(2, index).slice(),
      },
      {
        name: `${this.name}.v.${parameter.name}`,
        shape: [...parameter.shape],
        values: this.view(3, index).slice(),
      },
    ]);
  }

  /**
   * Restores moments (from `toArrays`) and the step count.
   * @throws CheckpointError when an array is missing or has another size
   */
  load(arrays: readonly NamedArray[], step: number): void {
    const byName = new Map(arrays.map((entry) => [entry.name, entry]));
    this.parameters.parameters.forEach((parameter, index) => {
      for (const [kind, region] of [
        ['m', 2],
        ['v', 3],
      ] as const) {
        const name = `${this.name}.${kind}.${parameter.name}`;
        loadStateArray(byName, name, this.view(region, index), 'optimizer state');
      }
    });
    this.step = step;
  }

  /** Parameter `index`'s array in region 0 (values), 1 (gradients), 2 (m) or 3 (v). */
  private view(region: number, index: number): Float32Array {
    const slot = this.slots[index]!;
    const offset = (region * this.regionSize + slot.start) * 4;
    return new Float32Array(this.kernel.memory.buffer, offset, slot.size);
  }
}
