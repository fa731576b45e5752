// Dense references for the critic tests: condition vectors written out, and the plain network
// of the CTGAN paper (rows concatenated with their condition vectors, packed, Linear layers)
// built from a discriminator's state arrays, without dropout.
import * as tf from '@tensorflow/tfjs-core';

import type { ConditionTerms, CriticInput } from '../../src/model/critic-input.ts';
import type { DiscriminatorDims } from '../../src/model/discriminator.ts';
import type { NamedArray } from '../../src/model/parameters.ts';

/** The condition vectors of `terms` written out: [rows, condDim]. */
export function denseConditions(terms: ConditionTerms, condDim: number): tf.Tensor2D {
  const rows = terms.positions.length / terms.perRow;
  const values = new Float32Array(rows * condDim);
  terms.positions.forEach((position, entry) => {
    values[Math.floor(entry / terms.perRow) * condDim + position]! += terms.weights[entry]!;
  });
  return tf.tensor2d(values, [rows, condDim]);
}

/** Each data row followed by its condition vector: [batch, dataDim + condDim]. */
export function denseRows(input: CriticInput, condDim: number): tf.Tensor2D {
  if (input.conditions === null) return input.data;
  return tf.concat([input.data, denseConditions(input.conditions, condDim)], 1);
}

/**
 * The plain critic on dense rows, weights by name from `arrays` (the first layer's weight
 * joined, as checkpoints store it).
 * @returns rows [batch, dataDim + condDim] -> scores [packs, 1]
 */
export function denseCritic(
  weights: ReadonlyMap<string, tf.Tensor>,
  dims: DiscriminatorDims,
): (rows: tf.Tensor2D) => tf.Tensor2D {
  return (rows) => {
    const packs = rows.shape[0] / dims.pac;
    let x = tf.reshape(rows, [packs, -1]) as tf.Tensor2D;
    dims.discriminatorDims.forEach((_, index) => {
      const name = `discriminator.hidden${index}`;
      const linear = tf.add(
        tf.matMul(x, weights.get(`${name}.weight`)!),
        weights.get(`${name}.bias`)!,
      );
      x = tf.leakyRelu(linear, dims.leakySlope) as tf.Tensor2D;
    });
    return tf.add(
      tf.matMul(x, weights.get('discriminator.output.weight')!),
      weights.get('discriminator.output.bias')!,
    ) as tf.Tensor2D;
  };
}

/** State arrays as tensors by name (dispose them when done). */
export function tensorsByName(arrays: readonly NamedArray[]): Map<string, tf.Tensor> {
  return new Map(arrays.map((entry) => [entry.name, tf.tensor(entry.values, entry.shape)]));
}

/**
 * The gradient penalty's input gradient of a dense critic: d sum(critic) / d rows, one row per
 * pack, [packs, pac * (dataDim + condDim)].
 */
export function denseInputGradient(
  critic: (rows: tf.Tensor2D) => tf.Tensor,
  pac: number,
  condDim: number,
): (mixed: CriticInput) => tf.Tensor2D {
  return (mixed) => {
    const rows = denseRows(mixed, condDim);
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor2D)))(rows);
    return tf.reshape(gradient, [rows.shape[0] / pac, -1]) as tf.Tensor2D;
  };
}
