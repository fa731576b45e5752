// Where the sampler's randomness comes from: one seeded stream per block of BLOCK_ROWS rows and
// per purpose, so that a row's values depend only on (seed, stream, row index), never on the
// batch size, the shard boundaries or how far another thread has got.
import { Rng } from '../util/rng.ts';
import { RandomSource } from './random-source.ts';

/** Rows per block of randomness. Batches and shards may start and end anywhere in a block. */
export const BLOCK_ROWS = 4096;

/** What a stream is drawn for; each purpose of a block has its own stream. */
export type StreamPurpose = 'conditions' | 'noise' | 'spans';

const PURPOSE_CODES: Record<StreamPurpose, number> = { conditions: 1, noise: 2, spans: 3 };

/** Identifies a sequence of candidate rows: the seed and a stream number (see RowStream). */
export interface StreamKey {
  /** The user's seed, an integer in [0, 2^53). */
  seed: number;
  /** 0 for the global row sequence; a shard's number for its own candidates (--where). */
  stream: number;
}

/**
 * The Rng of one block and purpose. The four state words are the seed's low word, the block,
 * the seed's high bits with the purpose, and the stream, each put through a bijective mixer,
 * so that distinct keys give distinct states (no two blocks share a stream, which a 32-bit
 * seed hash could not promise for millions of blocks); the first 16 draws are skipped, as the
 * first outputs of xoshiro from such states are still alike.
 * @param key seed and stream
 * @param block block index (row index / BLOCK_ROWS), below 2^32
 * @param purpose what the draws are for
 * @returns a fresh Rng
 */
export function blockRng(key: StreamKey, block: number, purpose: StreamPurpose): Rng {
  const low = key.seed % 4294967296;
  const high = Math.floor(key.seed / 4294967296);
  const words: [number, number, number, number] = [
    mix32(low ^ 0x9e3779b9),
    mix32(block ^ 0x85ebca6b),
    mix32(((high << 4) | PURPOSE_CODES[purpose]) ^ 0xc2b2ae35),
    mix32(key.stream ^ 0x27d4eb2f),
  ];
  if (words.every((word) => word === 0)) words[0] = 1; // xoshiro's one forbidden state
  const rng = Rng.fromState({ words, spareGaussian: null });
  for (let skip = 0; skip < 16; skip++) rng.nextUint32();
  return rng;
}

/**
 * Draws of one purpose for consecutive rows, crossing block boundaries. Ranges must be asked
 * in increasing order; rows skipped between two ranges (or at the start of a block) are drawn
 * and discarded, so a row gets the same draws whatever was asked before it.
 */
export class RowStream {
  private block = -1;
  private nextRow = 0;
  private source: RandomSource | null = null;

  /**
   * @param key seed and stream
   * @param purpose what the draws are for
   * @param skipRows draws and discards the values of `rows` rows from a source
   */
  constructor(
    private readonly key: StreamKey,
    private readonly purpose: StreamPurpose,
    private readonly skipRows: (source: RandomSource, rows: number) => void,
  ) {}

  /**
   * Hands out the sources of rows [first, first + count), one call per block touched.
   * @param draw draws the values of `rows` rows, the first being row first + offset, from
   *   `source`, and must draw exactly those
   * @throws Error (internal) when a range starts before the end of the previous one
   */
  draw(
    first: number,
    count: number,
    draw: (source: RandomSource, offset: number, rows: number) => void,
  ): void {
    let row = first;
    const end = first + count;
    while (row < end) {
      const block = Math.floor(row / BLOCK_ROWS);
      const blockEnd = Math.min(end, (block + 1) * BLOCK_ROWS);
      draw(this.positionAt(row, block), row - first, blockEnd - row);
      this.nextRow = blockEnd;
      row = blockEnd;
    }
  }

  /** The block's source, advanced to `row`. */
  private positionAt(row: number, block: number): RandomSource {
    if (block !== this.block) {
      this.block = block;
      this.nextRow = block * BLOCK_ROWS;
      this.source = new RandomSource(blockRng(this.key, block, this.purpose));
    } else if (row < this.nextRow) {
      throw new Error(`RowStream: row ${row} asked after row ${this.nextRow - 1}`);
    }
    if (row > this.nextRow) this.skipRows(this.source!, row - this.nextRow);
    return this.source!;
  }
}

/** murmur3's 32-bit finalizer: a bijection on 32-bit words that spreads every input bit. */
function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
