// Tests of the sampling-time activations: categories drawn with the softmax's frequencies,
// tanh on the scalar columns, one-hots in the layout's order, padded logits ignored, --where
// checks, the same rows whether drawn at once or in pieces, and the fast exponential.
import assert from 'node:assert/strict';

import { OutputPlan } from '../../src/model/output-plan.ts';
import {
  expNonPositive,
  RowActivation,
  type ActivatedRows,
} from '../../src/sample/row-activation.ts';
import type { DataLayout } from '../../src/transform/layout.ts';
import { syntheticTable } from '../model/synthetic-table.ts';

const { layout } = syntheticTable({ rows: 4, discrete: [3, 5, 2], continuous: [4, 2], seed: 1 });
const plan = new OutputPlan(layout);
const key = { seed: 5, stream: 0 };

/** Probabilities of each softmax span (layout order) and the value of each tanh column. */
function spanProbabilities(width: number, index: number): number[] {
  const raw = Array.from({ length: width }, (_, k) => 1 + ((k + index) % 3) * 2);
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((value) => value / total);
}

/**
 * `rows` identical rows of logits in internal order, padded to `stride` columns with huge
 * values that must be ignored: log-probabilities on softmax spans, 0.1 * (column + 1) on tanh
 * columns.
 */
function logitsFor(target: DataLayout, rows: number, stride: number): Float32Array {
  const row = new Float32Array(target.dataDim);
  target.spans.forEach((span, index) => {
    if (span.activation === 'tanh') row[span.start] = 0.1 * (span.start + 1);
    else
      spanProbabilities(span.width, index).forEach((p, k) => (row[span.start + k] = Math.log(p)));
  });
  const internal = new OutputPlan(target).toInternal({ data: row, rows: 1, cols: target.dataDim });
  const out = new Float32Array(rows * stride).fill(1e9);
  for (let r = 0; r < rows; r++) out.set(internal.data, r * stride);
  return out;
}

/** For each span (layout order), how many rows have each category. */
function categoryCounts(rows: ActivatedRows, target: DataLayout): number[][] {
  return target.spans.map((span) => {
    const counts = new Array<number>(span.width).fill(0);
    for (let r = 0; r < rows.count; r++) {
      if (rows.accepted !== null && rows.accepted[r] === 0) continue;
      let ones = 0;
      for (let k = 0; k < span.width; k++) {
        const value = rows.matrix[r * target.dataDim + span.start + k]!;
        if (span.activation === 'softmax' && value === 1) {
          counts[k]! += 1;
          ones++;
        }
      }
      if (span.activation === 'softmax') assert.equal(ones, 1, `row ${r}, ${span.column}`);
    }
    return counts;
  });
}

describe('RowActivation', function () {
  const rows = 20_000;

  it('draws each category with its softmax probability and writes tanh values', function () {
    const activation = new RowActivation(layout, key, []);

    const activated = activation.activate(0, rows, logitsFor(layout, rows, plan.logitWidth + 3));

    assert.equal(activated.accepted, null);
    const counts = categoryCounts(activated, layout);
    layout.spans.forEach((span, index) => {
      if (span.activation === 'tanh') {
        const expected = Math.fround(Math.tanh(Math.fround(0.1 * (span.start + 1))));
        for (let r = 0; r < rows; r += 997) {
          assert.equal(activated.matrix[r * layout.dataDim + span.start], expected);
        }
        return;
      }
      // A multinomial share p of n rows has standard deviation sqrt(p (1 - p) / n) <= 0.0036;
      // allow five of them.
      spanProbabilities(span.width, index).forEach((p, k) => {
        const share = counts[index]![k]! / rows;
        assert.ok(Math.abs(share - p) < 0.018, `${span.column}[${k}]: ${share} vs ${p}`);
      });
    });
  });

  it('gives the same rows whether drawn at once or in two pieces', function () {
    const logits = logitsFor(layout, 3000, plan.logitWidth);
    const whole = new RowActivation(layout, key, []).activate(0, 3000, logits).matrix;
    const pieces = new RowActivation(layout, key, []);

    const first = pieces.activate(0, 1200, logits.subarray(0, 1200 * plan.logitWidth)).matrix;
    const second = pieces.activate(1200, 1800, logits.subarray(1200 * plan.logitWidth)).matrix;

    assert.deepEqual(Float32Array.from([...first, ...second]), whole);
  });

  it('accepts only rows with the checked category, at the rate of its probability', function () {
    const spanIndex = layout.spans.findIndex((span) => span.column === 'category1');
    const span = layout.spans[spanIndex]!;
    const check = { column: 'category1', value: 'c2', layoutStart: span.start, category: 2 };
    const activation = new RowActivation(layout, key, [check]);

    const activated = activation.activate(0, rows, logitsFor(layout, rows, plan.logitWidth));

    const accepted = activated.accepted!;
    const p = spanProbabilities(span.width, spanIndex)[2]!;
    let kept = 0;
    for (let r = 0; r < rows; r++) {
      const row = activated.matrix.subarray(r * layout.dataDim, (r + 1) * layout.dataDim);
      if (accepted[r] === 1) {
        kept++;
        assert.equal(row[span.start + 2], 1, `accepted row ${r}`);
      } else {
        assert.ok(
          row.every((value) => value === 0),
          `rejected row ${r} is zero`,
        );
      }
    }
    assert.ok(Math.abs(kept / rows - p) < 0.018, `accepted ${kept / rows} vs ${p}`);
  });

  it('draws the unchecked spans of accepted rows as without the check', function () {
    const span = layout.spans.find((candidate) => candidate.column === 'category2')!;
    const check = { column: 'category2', value: 'x', layoutStart: span.start, category: 0 };
    const logits = logitsFor(layout, 2000, plan.logitWidth);
    const free = new RowActivation(layout, key, []).activate(0, 2000, logits);

    const checked = new RowActivation(layout, key, [check]).activate(0, 2000, logits);

    for (let r = 0; r < 2000; r++) {
      const at = r * layout.dataDim;
      const freeRow = free.matrix.subarray(at, at + layout.dataDim);
      if (checked.accepted![r] === 1) {
        assert.deepEqual(checked.matrix.subarray(at, at + layout.dataDim), freeRow);
      } else {
        assert.notEqual(freeRow[span.start], 1, `row ${r} has the checked category unchecked`);
      }
    }
  });
});

describe('expNonPositive', function () {
  it('agrees with Math.exp to 1e-9 relative on [-745, 0], and is 0 below', function () {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -745 * (i / 200_000) ** 2; // dense near 0, where softmax weights matter
      const expected = Math.exp(x);
      if (expected < 1e-300) continue; // subnormal results carry fewer bits
      worst = Math.max(worst, Math.abs(expNonPositive(x) / expected - 1));
    }

    assert.ok(worst < 1e-9, `worst relative error ${worst}`);
    assert.equal(expNonPositive(0), 1);
    assert.equal(expNonPositive(-746), 0);
  });
});
