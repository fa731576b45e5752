// A small multi-layer perceptron on tfjs-core for the usefulness check: ReLU hidden layers,
// a softmax (classification) or linear (regression) output, Adam, and hand-written
// back-propagation, because tfjs-core alone registers no gradient functions.
import * as tf from '@tensorflow/tfjs-core';

import type { Matrix } from '../transform/layout.ts';
import { Rng } from '../util/rng.ts';
import { ShapeMismatchError } from '../util/errors.ts';

/** What the network learns. */
export type MlpTask = 'classification' | 'regression';

/** Sizes and optimizer settings of the network. */
export interface MlpOptions {
  /** Widths of the hidden layers. Default [64, 64]. */
  hiddenUnits: number[];
  /** Passes over the training rows. Default 8. */
  epochs: number;
  /** Rows per step. Default 256. */
  batchSize: number;
  /** Adam's step size. Default 0.002. */
  learningRate: number;
  /** L2 penalty added to the weight gradients (not the biases). Default 1e-4. */
  weightDecay: number;
  /** Seeds the weights and the batch order. */
  seed: number;
}

/** Defaults of `MlpOptions`, chosen on Adult (see docs/evaluate.md). */
export const DEFAULT_MLP_OPTIONS: Omit<MlpOptions, 'seed'> = {
  hiddenUnits: [64, 64],
  epochs: 8,
  batchSize: 256,
  learningRate: 0.002,
  weightDecay: 1e-4,
};

// Adam's constants (Kingma and Ba, 2015, section 2).
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** A trained network; call `dispose` when done with it. */
export class Mlp {
  private constructor(
    private readonly weights: tf.Variable[],
    private readonly biases: tf.Variable[],
    private readonly task: MlpTask,
  ) {}

  /**
   * Trains a network from scratch.
   * @param features [rows, inputDim]
   * @param targets [rows, outputs]: one-hot classes, or standardized regression targets
   * @param task 'classification' (softmax cross-entropy) or 'regression' (squared error)
   * @param options sizes and optimizer settings
   * @returns the trained network
   */
  static train(features: Matrix, targets: Matrix, task: MlpTask, options: MlpOptions): Mlp {
    if (targets.rows !== features.rows) {
      throw new ShapeMismatchError(
        'MLP targets',
        [features.rows, targets.cols],
        [targets.rows, targets.cols],
      );
    }
    const rng = new Rng(options.seed);
    const sizes = [features.cols, ...options.hiddenUnits, targets.cols];
    const weights = sizes.slice(1).map((fanOut, layer) => {
      // He-uniform initialization, suited to ReLU layers.
      const fanIn = sizes[layer]!;
      const limit = Math.sqrt(6 / fanIn);
      const values = new Float32Array(fanIn * fanOut).map(() => (rng.next() * 2 - 1) * limit);
      // tidy frees the initial tensor; the variable keeps its own reference to the data.
      return tf.tidy(() => tf.variable(tf.tensor2d(values, [fanIn, fanOut]))); // [fanIn, fanOut]
    });
    // Each bias is [fanOut], starting at zero.
    const biases = sizes.slice(1).map((fanOut) => tf.tidy(() => tf.variable(tf.zeros([fanOut]))));
    const network = new Mlp(weights, biases, task);
    network.fit(features, targets, options, rng);
    return network;
  }

  /**
   * The network's outputs for some rows.
   * @param features [rows, inputDim]
   * @returns [rows, outputs] row-major: class probabilities, or standardized predictions
   */
  predict(features: Matrix): Float32Array {
    const outputs = tf.tidy(() => {
      const input = tf.tensor2d(features.data, [features.rows, features.cols]); // [rows, inputDim]
      const logits = this.forward(input).at(-1)!; // [rows, outputs]
      return this.task === 'classification' ? tf.softmax(logits) : logits;
    });
    const values = outputs.dataSync() as Float32Array;
    outputs.dispose();
    return values;
  }

  /** Frees the network's tensors. */
  dispose(): void {
    for (const variable of [...this.weights, ...this.biases]) variable.dispose();
  }

  // The activations of every layer, input first and output logits last.
  private forward(input: tf.Tensor2D): tf.Tensor2D[] {
    const activations = [input];
    const last = this.weights.length - 1;
    this.weights.forEach((weight, layer) => {
      const product = tf.matMul(activations[layer]!, weight); // [batch, fanOut]
      const linear = tf.add(product, this.biases[layer]!); // [batch, fanOut]
      activations.push((layer === last ? linear : tf.relu(linear)) as tf.Tensor2D);
    });
    return activations;
  }

  private fit(features: Matrix, targets: Matrix, options: MlpOptions, rng: Rng): void {
    const { rows, cols } = features;
    const allInputs = tf.tensor2d(features.data, [rows, cols]); // [rows, inputDim]
    const allTargets = tf.tensor2d(targets.data, [targets.rows, targets.cols]); // [rows, outputs]
    const parameters = [...this.weights, ...this.biases];
    const zeros = (parameter: tf.Variable): tf.Variable =>
      tf.tidy(() => tf.variable(tf.zerosLike(parameter)));
    const moments = parameters.map(zeros); // Adam's first moments, shaped as the parameters
    const velocities = parameters.map(zeros); // and second moments
    const order = Array.from({ length: features.rows }, (_, row) => row);
    let step = 0;

    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start < order.length; start += options.batchSize) {
        step++;
        const batchRows = Int32Array.from(order.slice(start, start + options.batchSize));
        tf.tidy(() => {
          const indices = tf.tensor1d(batchRows, 'int32'); // [batch]
          const input = tf.gather(allInputs, indices) as tf.Tensor2D; // [batch, inputDim]
          const target = tf.gather(allTargets, indices) as tf.Tensor2D; // [batch, outputs]
          const gradients = this.gradients(input, target, options.weightDecay);
          const correction1 = 1 - BETA1 ** step;
          const correction2 = 1 - BETA2 ** step;
          parameters.forEach((parameter, p) => {
            const gradient = gradients[p]!;
            moments[p]!.assign(tf.add(tf.mul(moments[p]!, BETA1), tf.mul(gradient, 1 - BETA1)));
            velocities[p]!.assign(
              tf.add(tf.mul(velocities[p]!, BETA2), tf.mul(tf.square(gradient), 1 - BETA2)),
            );
            const update = tf.div(
              tf.div(moments[p]!, correction1),
              tf.add(tf.sqrt(tf.div(velocities[p]!, correction2)), EPSILON),
            );
            parameter.assign(tf.sub(parameter, tf.mul(update, options.learningRate)));
          });
        });
      }
    }
    for (const tensor of [allInputs, allTargets, ...moments, ...velocities]) tensor.dispose();
  }

  // Gradients of the mean loss, weights first then biases, in the order of `parameters`.
  private gradients(input: tf.Tensor2D, target: tf.Tensor2D, weightDecay: number): tf.Tensor[] {
    const activations = this.forward(input);
    const batch = input.shape[0];
    const output = activations.at(-1)!; // [batch, outputs]
    // Softmax cross-entropy and half the squared error both have (prediction - target) as
    // the gradient with respect to the output layer's pre-activation.
    const prediction = this.task === 'classification' ? tf.softmax(output) : output;
    let delta = tf.div(tf.sub(prediction, target), batch) as tf.Tensor2D; // [batch, outputs]

    const weightGradients: tf.Tensor[] = [];
    const biasGradients: tf.Tensor[] = [];
    for (let layer = this.weights.length - 1; layer >= 0; layer--) {
      const weight = this.weights[layer]!;
      const below = activations[layer]!; // [batch, fanIn]
      const decay = tf.mul(weight, weightDecay);
      const product = tf.matMul(below, delta, true, false); // [fanIn, fanOut]
      weightGradients[layer] = tf.add(product, decay); // [fanIn, fanOut]
      biasGradients[layer] = tf.sum(delta, 0); // [fanOut]
      if (layer > 0) {
        // Back through the weights, then through the ReLU of the layer below.
        const back = tf.matMul(delta, weight, false, true); // [batch, fanIn]
        delta = tf.mul(back, tf.step(below)) as tf.Tensor2D; // [batch, fanIn]
      }
    }
    return [...weightGradients, ...biasGradients];
  }
}
