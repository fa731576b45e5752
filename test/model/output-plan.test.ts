// Tests of OutputPlan: the internal column order (tanh columns, discrete spans by width, other
// softmax spans by width) and the permutation of rows into it and back.
import assert from 'node:assert/strict';

import { OutputPlan } from '../../src/model/output-plan.ts';
import { syntheticTable } from './synthetic-table.ts';

describe('OutputPlan', function () {
  // Layout: number0 alpha@0, modes@1..3 (3); category0@4..5 (2); number1 alpha@6, modes@7..9 (3);
  // category1@10..12 (3); category2@13..14 (2).
  const { layout, data } = syntheticTable({
    rows: 5,
    discrete: [2, 3, 2],
    continuous: [3, 3],
    seed: 1,
  });

  it('puts tanh columns first, then discrete spans grouped by width, then mode spans', function () {
    const plan = new OutputPlan(layout);

    assert.equal(plan.tanhWidth, 2);
    assert.equal(plan.discreteWidth, 7);
    assert.deepEqual([...plan.layoutColumn], [0, 6, 4, 5, 13, 14, 10, 11, 12, 1, 2, 3, 7, 8, 9]);
    assert.deepEqual(plan.discreteGroups, [
      { start: 2, width: 2, count: 2 },
      { start: 6, width: 3, count: 1 },
    ]);
    assert.deepEqual(plan.otherGroups, [{ start: 9, width: 3, count: 2 }]);
    assert.deepEqual(plan.discreteStarts, [2, 6, 4]);
  });

  it('permutes rows into the internal order and back unchanged', function () {
    const plan = new OutputPlan(layout);

    const internal = plan.toInternal(data);
    const restored = plan.toLayout(internal);

    assert.deepEqual(restored, data);
    for (let row = 0; row < data.rows; row++) {
      const base = row * data.cols;
      assert.equal(internal.data[base + 1], data.data[base + 6], 'alpha of number1');
      assert.equal(internal.data[base + 4], data.data[base + 13], 'first one-hot of category2');
    }
  });

  it('rejects a layout whose spans leave a gap', function () {
    const broken = { ...layout, spans: layout.spans.filter((span) => span.start !== 4) };

    assert.throws(() => new OutputPlan(broken), {
      name: 'ShapeMismatchError',
      message: 'start of the span after column 3: expected shape [4], got [6]',
    });
  });
});
