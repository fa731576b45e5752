// Shared helpers of the backend and model tests: start a backend quietly, check that code frees
// its tensors, compare arrays within a tolerance, and check gradients by finite differences.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';
import winston from 'winston';

import { type BackendInfo, initBackend } from '../../src/backend/init.ts';

/** A logger that drops everything, so tests do not print backend lines. */
export const quietLog = winston.createLogger({ silent: true });

/** Starts `name` ('wasm' or 'cpu') without logging; call in a `before` hook. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<BackendInfo> {
  return initBackend(name, quietLog, { wasmThreads: 1 });
}

/** Runs `body` and asserts that it left the number of live tensors unchanged. */
export async function expectNoLeak<T>(body: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  assert.equal(tf.memory().numTensors, before, 'live tensors before and after');
  return result;
}

/**
 * Asserts |actual - expected| <= tolerance * max(1, |expected|) element-wise.
 * @param what names the compared quantity in the failure message
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(expected[i]!));
    if (!(Math.abs(actual[i]! - expected[i]!) <= bound)) {
      assert.fail(`${what}[${i}]: ${actual[i]} differs from ${expected[i]} by more than ${bound}`);
    }
  }
}

/**
 * Central finite differences of a scalar function of one tensor, evaluated in float32:
 * (f(x + h e_i) - f(x - h e_i)) / 2h for every element i.
 * @returns the numerical gradient, flat
 */
export function numericalGradient(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  h = 1e-2,
): Float32Array {
  const base = x.dataSync().slice();
  const gradient = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const shifted = base.slice();
    shifted[i] = base[i]! + h;
    const up = tf.tidy(() => f(tf.tensor(shifted, x.shape)).dataSync()[0]!);
    shifted[i] = base[i]! - h;
    const down = tf.tidy(() => f(tf.tensor(shifted, x.shape)).dataSync()[0]!);
    gradient[i] = (up - down) / (2 * h);
  }
  return gradient;
}

/** The autodiff gradient of `f` at `x`, flat. */
export function autodiffGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.grad(f)(x).dataSync() as Float32Array).slice();
}

/** A tensor of seeded pseudo-random values in [-1, 1) (reproducible without tf.random). */
export function seededTensor(shape: number[], seed: number): tf.Tensor {
  let state = seed >>> 0 || 1;
  const size = shape.reduce((product, size) => product * size, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = ((state >>> 0) / 4294967296) * 2 - 1;
  }
  return tf.tensor(values, shape);
}
