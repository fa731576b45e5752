// Model parameters: a float32 master copy in JavaScript memory (the optimizer's, once it adopts
// them) and a device copy for the maths, uploaded again after each change.
import * as tf from '@tensorflow/tfjs-core';

import { markPackedOperand } from '../backend/gradients/matmul.ts';
import { CheckpointError, ShapeMismatchError } from '../util/errors.ts';

/** A named float32 array with its shape: how parameters and states leave the model. */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** One parameter (or buffer, such as BatchNorm's moving mean): values plus a device copy. */
export class Parameter {
  private storage: Float32Array;
  private deviceCopy: tf.Tensor | null = null;

  /**
   * @param name unique within its model, e.g. 'generator.block0.linear.weight'
   * @param shape e.g. [fanIn, fanOut]
   * @param values initial values (taken, not copied); length = product of shape
   * @throws ShapeMismatchError when the length does not match the shape
   */
  constructor(
    readonly name: string,
    readonly shape: number[],
    values: Float32Array,
  ) {
    const size = shape.reduce((product, size) => product * size, 1);
    if (values.length !== size) throw new ShapeMismatchError(name, shape, [values.length]);
    this.storage = values;
  }

  /** Row-major values, the master copy. Change them only through an optimizer or `load`. */
  get values(): Float32Array {
    return this.storage;
  }

  /**
   * Moves the master copy into `storage` (e.g. the optimizer's memory), copying the values.
   * @throws ShapeMismatchError when the length differs
   */
  moveTo(storage: Float32Array): void {
    if (storage.length !== this.storage.length) {
      throw new ShapeMismatchError(this.name, this.shape, [storage.length]);
    }
    storage.set(this.storage);
    this.storage = storage;
  }

  /** The device copy, uploaded on first use after a change. Kept out of every tf.tidy. */
  get tensor(): tf.Tensor {
    if (this.deviceCopy === null) {
      // The cpu backend keeps the very array it is given, and the master copy changes in place
      // at the next update: give it a copy. wasm copies into its heap itself.
      const values = tf.getBackend() === 'wasm' ? this.storage : this.storage.slice();
      this.deviceCopy = tf.keep(tf.tensor(values, this.shape));
      if (this.shape.length === 2) markPackedOperand(this.deviceCopy);
    }
    return this.deviceCopy;
  }

  /** Call after changing `values` in place: drops the device copy. */
  changed(): void {
    this.deviceCopy?.dispose();
    this.deviceCopy = null;
  }

  /**
   * Replaces the values by `values` (copied).
   * @throws ShapeMismatchError when the length differs
   */
  load(values: Float32Array): void {
    if (values.length !== this.storage.length) {
      throw new ShapeMismatchError(this.name, this.shape, [values.length]);
    }
    this.storage.set(values);
    this.changed();
  }

  /** Frees the device copy. */
  dispose(): void {
    this.changed();
  }
}

/** An ordered list of parameters, e.g. all weights of one network. */
export class ParameterSet {
  constructor(readonly parameters: Parameter[]) {}

  /** The device copies, in order. */
  tensors(): tf.Tensor[] {
    return this.parameters.map((parameter) => parameter.tensor);
  }

  /** Number of scalar values in all parameters. */
  get size(): number {
    return this.parameters.reduce((total, parameter) => total + parameter.values.length, 0);
  }

  /** Copies of every parameter, named and shaped. */
  toArrays(): NamedArray[] {
    return this.parameters.map((parameter) => ({
      name: parameter.name,
      shape: [...parameter.shape],
      values: parameter.values.slice(),
    }));
  }

  /**
   * Loads values by name from `arrays` (which may hold other entries too).
   * @throws ShapeMismatchError when an entry is missing or has another shape
   */
  load(arrays: readonly NamedArray[]): void {
    const byName = new Map(arrays.map((entry) => [entry.name, entry]));
    for (const parameter of this.parameters) {
      const entry = byName.get(parameter.name);
      if (entry === undefined) throw new ShapeMismatchError(parameter.name, parameter.shape, []);
      if (!tf.util.arraysEqual(entry.shape, parameter.shape)) {
        throw new ShapeMismatchError(parameter.name, parameter.shape, entry.shape);
      }
      parameter.load(entry.values);
    }
  }

  /** Frees every device copy. */
  dispose(): void {
    for (const parameter of this.parameters) parameter.dispose();
  }
}

/**
 * Copies the state array `name` (an optimizer moment, a weight average) into `target`.
 * @param byName the state's arrays by name
 * @param what names the kind of array in the error, e.g. 'optimizer state'
 * @throws CheckpointError when the array is missing or has another size
 */
export function loadStateArray(
  byName: ReadonlyMap<string, NamedArray>,
  name: string,
  target: Float32Array,
  what: string,
): void {
  const entry = byName.get(name);
  if (entry === undefined || entry.values.length !== target.length) {
    const found = entry === undefined ? 'missing' : `${entry.values.length} values`;
    throw new CheckpointError(`${what} ${name}: expected ${target.length} values, found ${found}`);
  }
  target.set(entry.values);
}
