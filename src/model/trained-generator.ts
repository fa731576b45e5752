// A trained generator ready to sample: the network in inference mode (BatchNorm on running
// statistics), the output activations, and the conditions to draw. Exports to and loads from a
// plain object (weights as named float32 arrays, configs, layout) that works on any backend.
import * as tf from '@tensorflow/tfjs-core';

import type { ModelConfig } from '../config/schema.ts';
import type { DataLayout, Matrix } from '../transform/layout.ts';
import { CheckpointError, ShapeMismatchError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { activate, type GumbelBlocks } from './activations.ts';
import { ConditionSampler, type ConditionBatch } from './condition-sampler.ts';
import { Generator, type GeneratorDims } from './generator.ts';
import { logitWidth, OutputPlan } from './output-plan.ts';
import type { NamedArray } from './parameters.ts';
import { gaussianNoise, gumbelBlocks } from './random-draws.ts';

/** Version of the GeneratorExport layout; bump when its meaning changes. */
export const GENERATOR_EXPORT_VERSION = 1;

/** Everything needed to sample, as plain data (for the model bundle). */
export interface GeneratorExport {
  formatVersion: number;
  /** The model section of the run config (noiseDim, generatorDims, gumbelTau are used). */
  model: ModelConfig;
  /** The transformer's layout the generator was trained on. */
  layout: DataLayout;
  /** Training rows per category of each discrete column, for `condition: 'original'`. */
  categoryCounts: number[][];
  /** Generator weights and BatchNorm running statistics. */
  weights: NamedArray[];
}

/** Which conditions generated rows get. */
export type GenerateCondition = 'original' | { column: number; category: number };

/** Options of `generate`. */
export interface GenerateOptions {
  /**
   * 'original' (default): column uniform, category by its frequency in the training data;
   * { column, category }: every row conditioned on that category (column indexes
   * layout.discrete). Ignored for tables without discrete columns.
   */
  condition?: GenerateCondition;
  /** Source of the conditions, noise and Gumbel draws, in that order per batch. */
  rng: Rng;
  /** Rows per generator call; memory grows with it, results do not depend on it. */
  batchSize: number;
}

/** Samples rows from a generator. Disposing it disposes the generator if it owns it. */
export class TrainedGenerator {
  private readonly plan: OutputPlan;
  private readonly sampler: ConditionSampler;

  /**
   * @param generator the network (not copied)
   * @param model the model config (gumbelTau is used)
   * @param layout the transformer's layout
   * @param categoryCounts rows per category of each discrete column
   * @param ownsGenerator whether dispose() disposes `generator`
   */
  constructor(
    readonly generator: Generator,
    readonly model: ModelConfig,
    readonly layout: DataLayout,
    readonly categoryCounts: number[][],
    private readonly ownsGenerator: boolean,
  ) {
    this.plan = new OutputPlan(layout);
    this.sampler = ConditionSampler.fromCounts(layout, categoryCounts);
  }

  /**
   * Loads an exported generator on the active backend.
   * @throws CheckpointError when the export's version, shapes or names do not fit
   */
  static fromExport(exported: GeneratorExport): TrainedGenerator {
    if (exported.formatVersion !== GENERATOR_EXPORT_VERSION) {
      throw new CheckpointError(
        `generator export has format version ${exported.formatVersion}; this tabsynth reads ` +
          `version ${GENERATOR_EXPORT_VERSION}: retrain or use a matching tabsynth`,
      );
    }
    const dims = generatorDims(exported.model, exported.layout);
    try {
      const generator = Generator.fromWeights(dims, exported.weights);
      return new TrainedGenerator(
        generator,
        exported.model,
        exported.layout,
        exported.categoryCounts,
        true,
      );
    } catch (error) {
      if (!(error instanceof ShapeMismatchError)) throw error;
      throw new CheckpointError(
        `generator weights do not fit the model config and layout: ${error.message}`,
        { cause: error },
      );
    }
  }

  /** The plain-data form of this generator (copies of the weights). */
  toExport(): GeneratorExport {
    return {
      formatVersion: GENERATOR_EXPORT_VERSION,
      model: structuredClone(this.model),
      layout: structuredClone(this.layout),
      categoryCounts: this.categoryCounts.map((column) => [...column]),
      weights: [...this.generator.parameters().toArrays(), ...this.generator.buffers().toArrays()],
    };
  }

  /**
   * Generates rows in batches, in the layout's column order, ready for the transformer's
   * inverse (which takes the argmax of each one-hot span).
   * @param rows number of rows
   * @returns [rows, dataDim]
   */
  generate(rows: number, options: GenerateOptions): Matrix {
    const dataDim = this.plan.dataDim;
    const out = new Float32Array(rows * dataDim);
    const batchSize = Math.max(1, Math.floor(options.batchSize));
    for (let start = 0; start < rows; start += batchSize) {
      const count = Math.min(batchSize, rows - start);
      const conditions = this.conditions(count, options);
      const internal = tf.tidy(() => {
        const noise = gaussianNoise(options.rng, count, this.model.noiseDim);
        const gumbel = gumbelBlocks(options.rng, count, this.plan);
        return this.activated(noise, conditions?.hot ?? null, gumbel);
      });
      const values = internal.dataSync() as Float32Array; // [count, dataDim], internal order
      internal.dispose();
      const ordered = this.plan.toLayout({ data: values, rows: count, cols: dataDim });
      out.set(ordered.data, start * dataDim);
    }
    return { data: out, rows, cols: dataDim };
  }

  /**
   * One batch from given inputs, for callers that manage tensors themselves.
   * @param noise [batch, noiseDim]
   * @param hot per row, the position of the 1 in its condition vector; null when condDim is 0
   * @param rng source of the Gumbel noise
   * @returns [batch, dataDim] in the layout's column order
   */
  generateBatch(noise: tf.Tensor2D, hot: Int32Array | null, rng: Rng): tf.Tensor2D {
    return tf.tidy(() => {
      const gumbel = gumbelBlocks(rng, noise.shape[0], this.plan);
      const internal = this.activated(noise, hot, gumbel); // [batch, dataDim], internal order
      const internalOf = new Int32Array(this.plan.dataDim);
      this.plan.layoutColumn.forEach((layoutColumn, index) => {
        internalOf[layoutColumn] = index;
      });
      return tf.gather(internal, tf.tensor1d(internalOf, 'int32'), 1);
    });
  }

  /** Frees the generator's tensors if this object owns it. */
  dispose(): void {
    if (this.ownsGenerator) this.generator.dispose();
  }

  private activated(noise: tf.Tensor2D, hot: Int32Array | null, gumbel: GumbelBlocks): tf.Tensor2D {
    const logits = this.generator.applyInference(noise, hot); // [batch, logitWidth]
    return activate(logits, gumbel, this.plan, this.model.gumbelTau);
  }

  private conditions(count: number, options: GenerateOptions): ConditionBatch | null {
    if (!this.sampler.hasConditions) return null;
    const condition = options.condition ?? 'original';
    if (condition === 'original') return this.sampler.sampleOriginal(count, options.rng);
    return this.sampler.fixed(count, condition.column, condition.category);
  }
}

/** The generator's sizes for a model config and a layout. */
export function generatorDims(model: ModelConfig, layout: DataLayout): GeneratorDims {
  return {
    noiseDim: model.noiseDim,
    condDim: layout.condDim,
    outputDim: logitWidth(layout.dataDim),
    generatorDims: [...model.generatorDims],
  };
}
