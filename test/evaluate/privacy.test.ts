// Privacy: exact copies and the distance to the closest record, on rows worked out by hand
// and against a brute-force search on made-up rows.
import assert from 'node:assert/strict';

import * as arrow from 'apache-arrow';

import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { Rng } from '../../src/util/rng.ts';

const close = (actual: number | undefined | null, expected: number): void =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-12,
    `expected ${expected}, got ${actual}`,
  );

const METADATA: TableMetadata = {
  columns: [
    { name: 'x', type: 'continuous' },
    { name: 'c', type: 'categorical' },
  ],
};

const ONLY_PRIVACY = { usefulness: false } as const;

describe('evaluate privacy', () => {
  it('finds copies and measures Gower distances as worked out by hand', async () => {
    const real = arrow.tableFromArrays({ x: Float64Array.of(0, 10), c: ['a', 'b'] });
    const synthetic = arrow.tableFromArrays({
      x: Float64Array.of(0, 5, 20, NaN),
      c: ['a', 'a', 'b', 'b'],
    });
    const holdout = arrow.tableFromArrays({ x: Float64Array.of(10, 2), c: ['b', 'b'] });

    const result = await evaluate({ real, synthetic, holdout, metadata: METADATA }, ONLY_PRIVACY);

    // x scales by the real range 10; the distance is the mean over the two columns.
    // (0, a): a copy of real row 1, 0. (5, a): to (0, a) .5 + 0: .25.
    // (20, b): to (10, b) min(1, 1) + 0: .5. (null, b): to (10, b) 1 + 0: .5.
    const privacy = result.privacy!;
    close(privacy.exactMatchShare, 1 / 4);
    close(privacy.synthetic.zeroShare, 1 / 4);
    close(privacy.synthetic.median, (0.25 + 0.5) / 2);
    close(privacy.synthetic.percentile5, 0.15 * 0.25); // position .15 between 0 and .25
    // Held out: (10, b) copies real row 2; (2, b): to (10, b) .8 + 0: .4.
    close(privacy.holdoutExactMatchShare, 1 / 2);
    close(privacy.holdout?.median, 0.2);
    assert.equal(privacy.referenceRows, 2);
  });

  it('finds the same nearest distances as a brute-force search', async () => {
    const rng = new Rng(5);
    const makeTable = (rows: number): arrow.Table =>
      arrow.tableFromArrays({
        x: Float64Array.from({ length: rows }, () => (rng.next() < 0.05 ? NaN : rng.gaussian())),
        c: Array.from({ length: rows }, () => 'pqrs'[rng.int(4)]!),
      });
    // More than one block (4,096 rows) of reference rows.
    const real = makeTable(5_000);
    const synthetic = makeTable(300);

    const result = await evaluate(
      { real, synthetic, holdout: makeTable(10), metadata: METADATA },
      ONLY_PRIVACY,
    );

    const distances = bruteForce(real, synthetic).sort((a, b) => a - b);
    close(result.privacy!.synthetic.median, (distances[149]! + distances[150]!) / 2);
    close(result.privacy!.synthetic.zeroShare, distances.filter((d) => d === 0).length / 300);
  });

  it('samples query rows with the seed and measures copies of real rows at 0', async () => {
    const rng = new Rng(9);
    const real = arrow.tableFromArrays({
      x: Float64Array.from({ length: 1_000 }, () => rng.gaussian()),
      c: Array.from({ length: 1_000 }, () => 'ab'[rng.int(2)]!),
    });

    const run = () =>
      evaluate(
        { real, synthetic: real, metadata: METADATA, seed: 2 },
        {
          ...ONLY_PRIVACY,
          privacyQueryRows: 50,
        },
      );
    const [first, second] = [await run(), await run()];

    const privacy = first.privacy!;
    assert.deepEqual(privacy, second.privacy);
    assert.equal(privacy.exactMatchShare, 1);
    assert.equal(privacy.synthetic.rows, 50);
    // No holdout table: a seeded 20% of the rows is held out, the rest is searched. The
    // synthetic sample comes from all rows, so the held-out fifth of it is not at 0.
    assert.equal(privacy.referenceRows, 800);
    assert.ok(privacy.synthetic.zeroShare > 0.6 && privacy.synthetic.zeroShare < 0.95);
    assert.equal(privacy.holdout!.rows, 50);
    assert.ok(privacy.holdout!.median > 0);
  });
});

// Gower distance from each query row to its nearest reference row, the slow obvious way.
function bruteForce(reference: arrow.Table, queries: arrow.Table): number[] {
  const rx = reference.getChild('x')!.toArray() as Float64Array;
  const rc = Array.from({ length: reference.numRows }, (_, row) =>
    reference.getChild('c')!.get(row),
  );
  let low = Infinity;
  let high = -Infinity;
  for (const value of rx) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const qx = queries.getChild('x')!.toArray() as Float64Array;
  return Array.from({ length: queries.numRows }, (_, q) => {
    const qc = queries.getChild('c')!.get(q);
    let best = Infinity;
    for (let r = 0; r < reference.numRows; r++) {
      const numberGap =
        Number.isNaN(qx[q]!) || Number.isNaN(rx[r]!)
          ? Number.isNaN(qx[q]!) && Number.isNaN(rx[r]!)
            ? 0
            : 1
          : Math.min(1, Math.abs(qx[q]! - rx[r]!) / (high - low));
      best = Math.min(best, (numberGap + (qc === rc[r] ? 0 : 1)) / 2);
    }
    return best;
  });
}
