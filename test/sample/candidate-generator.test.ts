// Tests of the conditions a CandidateGenerator draws: a discrete variable uniformly, then its
// category by the training frequency ('original') or by log(1 + count) ('log-frequency'), or
// one fixed position. The network is a stub that records the condition positions it is given.
import assert from 'node:assert/strict';

import { CandidateGenerator, type ConditionSpec } from '../../src/sample/candidate-generator.ts';
import type { ConditionIndex, InferenceNetwork } from '../../src/sample/inference-network.ts';
import { syntheticTable } from '../model/synthetic-table.ts';

const { layout } = syntheticTable({ rows: 4, discrete: [3, 2], continuous: [2], seed: 1 });
// Training rows per category: the first variable is dominated by its first category.
const COUNTS = [
  [1000, 10, 1],
  [30, 70],
];
const ROWS = 40_000;

/** A network that returns zero logits and keeps every condition position it was given. */
function recordingNetwork(): { network: InferenceNetwork; positions: number[] } {
  const positions: number[] = [];
  const noiseDim = 2;
  const logitWidth = Math.ceil(layout.dataDim / 8) * 8;
  const stub = {
    noiseDim,
    condDim: layout.condDim,
    logitWidth,
    logits(noise: Float32Array, condition: ConditionIndex, rows: number): Float32Array {
      assert.equal(noise.length, rows * noiseDim);
      for (let row = 0; row < rows; row++) {
        positions.push(typeof condition === 'number' ? condition : condition![row]!);
      }
      return new Float32Array(rows * logitWidth);
    },
  };
  return { network: stub as unknown as InferenceNetwork, positions };
}

/** Share of rows conditioned on each position of the condition vector. */
function positionShares(condition: ConditionSpec): number[] {
  const { network, positions } = recordingNetwork();
  const generator = new CandidateGenerator(
    network,
    layout,
    COUNTS,
    { seed: 7, stream: 0 },
    condition,
    [],
  );

  generator.generate(0, ROWS / 2);
  generator.generate(ROWS / 2, ROWS / 2);

  const shares = new Array<number>(layout.condDim).fill(0);
  for (const position of positions) shares[position]! += 1 / ROWS;
  return shares;
}

/** The expected shares: each variable half the rows, split by the given category weights. */
function expectedShares(weight: (count: number) => number): number[] {
  return COUNTS.flatMap((counts) => {
    const total = counts.reduce((sum, count) => sum + weight(count), 0);
    return counts.map((count) => (0.5 * weight(count)) / total);
  });
}

describe('CandidateGenerator conditions', () => {
  it('follow the training frequencies with original conditions', () => {
    const shares = positionShares({ kind: 'original' });

    // A share p of 40,000 rows has a standard deviation <= 0.0025; allow about 4.
    expectedShares((count) => count).forEach((expected, position) => {
      assert.ok(Math.abs(shares[position]! - expected) < 0.01, `${position}: ${shares[position]}`);
    });
  });

  it('give rare categories more rows with log-frequency conditions', () => {
    const shares = positionShares({ kind: 'log-frequency' });

    // The category of 1 row of 1011 gets 0.5 log(2) / (log(1001) + log(11) + log(2)) = 0.033
    // of all rows instead of 0.0005.
    expectedShares((count) => Math.log(1 + count)).forEach((expected, position) => {
      assert.ok(Math.abs(shares[position]! - expected) < 0.01, `${position}: ${shares[position]}`);
    });
    assert.ok(shares[2]! > 0.025);
  });

  it('give every row the same position for a fixed condition', () => {
    const shares = positionShares({ kind: 'fixed', column: 1, category: 1 });

    const position = layout.discrete[1]!.condStart + 1;
    assert.ok(Math.abs(shares[position]! - 1) < 1e-9);
  });
});
