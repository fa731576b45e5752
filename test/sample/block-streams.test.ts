// Tests of the block streams: a block's Rng depends on every part of its key, and a row gets
// the same draws whether its rows are asked at once, in pieces or after skipping.
import assert from 'node:assert/strict';

import { BLOCK_ROWS, blockRng, RowStream } from '../../src/sample/block-streams.ts';
import type { RandomSource } from '../../src/sample/random-source.ts';
import { Rng } from '../../src/util/rng.ts';

describe('blockRng', function () {
  const first = (rng: Rng): number[] => [rng.nextUint32(), rng.nextUint32()];

  it('gives the same stream for the same key and different ones otherwise', function () {
    const key = { seed: 3, stream: 0 };
    const base = first(blockRng(key, 7, 'noise'));

    assert.deepEqual(first(blockRng({ seed: 3, stream: 0 }, 7, 'noise')), base);
    const others = [
      first(blockRng(key, 8, 'noise')),
      first(blockRng(key, 7, 'spans')),
      first(blockRng({ seed: 4, stream: 0 }, 7, 'noise')),
      first(blockRng({ seed: 3, stream: 1 }, 7, 'noise')),
      first(blockRng({ seed: 3 + 2 ** 32, stream: 0 }, 7, 'noise')),
    ];
    for (const other of others) assert.notDeepEqual(other, base);
  });
});

describe('RowStream', function () {
  /** Three uniforms per row, as a row's draws. */
  function drawRows(stream: RowStream, first: number, count: number): number[] {
    const out: number[] = [];
    stream.draw(first, count, (source, offset, rows) => {
      assert.equal(offset, out.length / 3);
      for (let i = 0; i < rows * 3; i++) out.push(source.uniform());
    });
    return out;
  }
  const skip = (source: RandomSource, rows: number): void => {
    for (let i = 0; i < rows * 3; i++) source.uniform();
  };
  const key = { seed: 11, stream: 2 };

  it('gives each row the same draws whether asked at once, in pieces or after a skip', function () {
    const total = BLOCK_ROWS * 2 + 100;
    const whole = drawRows(new RowStream(key, 'spans', skip), 0, total);

    const pieces = new RowStream(key, 'spans', skip);
    const inPieces = [
      ...drawRows(pieces, 0, 1000),
      ...drawRows(pieces, 1000, BLOCK_ROWS),
      ...drawRows(pieces, 1000 + BLOCK_ROWS, total - 1000 - BLOCK_ROWS),
    ];
    const skipped = drawRows(new RowStream(key, 'spans', skip), 5000, total - 5000);

    assert.deepEqual(inPieces, whole);
    assert.deepEqual(skipped, whole.slice(5000 * 3));
  });

  it('refuses rows asked before the end of the previous range', function () {
    const stream = new RowStream(key, 'spans', skip);
    drawRows(stream, 0, 100);

    assert.throws(() => drawRows(stream, 50, 10), {
      message: 'RowStream: row 50 asked after row 99',
    });
  });
});
