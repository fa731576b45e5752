// Seeded uniform sampling of at most maxRows rows from a stream whose length is unknown
// (reservoir sampling, Algorithm R), plus a growable store of coded rows that uses it.
import { Rng } from '../util/rng.ts';

/**
 * Decides, row by row, which rows of a stream are kept so that the kept rows are a uniform
 * sample of at most `capacity` rows. Reproducible: equal seeds keep equal rows.
 */
export class Reservoir {
  /** Rows offered so far. */
  seen = 0;
  private readonly rng: Rng | null;

  /**
   * @param capacity most rows kept; null keeps every row
   * @param seed seed of the sampling stream (default 0)
   */
  constructor(
    readonly capacity: number | null,
    seed = 0,
  ) {
    this.rng = capacity === null ? null : new Rng(seed).fork('reservoir');
  }

  /**
   * Offers the next row of the stream.
   * @returns the slot the row goes into (the row it replaces, when the reservoir is full),
   *   or -1 when the row is not kept
   */
  offer(): number {
    const index = this.seen++;
    if (this.capacity === null || index < this.capacity) return index;
    // Algorithm R: the i-th row (0-based) replaces a random slot with probability k / (i + 1).
    const slot = this.rng!.int(index + 1);
    return slot < this.capacity ? slot : -1;
  }
}

/**
 * Rows of integer codes (one per column), kept through a Reservoir; each slot remembers the
 * position of its row in the file so that rows come back in file order.
 */
export class CodedRows {
  private codes: Int32Array;
  private rowOf: Float64Array;
  private slots = 0;
  private readonly reservoir: Reservoir;

  /**
   * @param width codes per row (the number of columns)
   * @param maxRows most rows kept; null keeps every row
   * @param seed sampling seed
   */
  constructor(
    readonly width: number,
    maxRows: number | null,
    seed: number,
  ) {
    this.reservoir = new Reservoir(maxRows, seed);
    const initial = Math.min(maxRows ?? 1024, 1024);
    this.codes = new Int32Array(Math.max(1, initial * width));
    this.rowOf = new Float64Array(Math.max(1, initial));
  }

  /** Rows offered so far. */
  get seen(): number {
    return this.reservoir.seen;
  }

  /**
   * Offers the next row.
   * @returns the offset in `buffer` where its `width` codes are to be written, or -1 when
   *   the row is not kept
   */
  offer(): number {
    const row = this.reservoir.seen;
    const slot = this.reservoir.offer();
    if (slot < 0) return -1;
    if (slot >= this.rowOf.length) this.grow();
    if (slot >= this.slots) this.slots = slot + 1;
    this.rowOf[slot] = row;
    return slot * this.width;
  }

  /** The code buffer that `offer` points into (it may be replaced when it grows). */
  get buffer(): Int32Array {
    return this.codes;
  }

  /**
   * The kept rows' codes for one column, in file order.
   * @param column column index
   * @param order slot order from `fileOrder()`
   */
  column(column: number, order: Uint32Array): Int32Array {
    const out = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) out[i] = this.codes[order[i]! * this.width + column]!;
    return out;
  }

  /** The kept slots sorted by their rows' positions in the file. */
  fileOrder(): Uint32Array {
    const order = new Uint32Array(this.slots);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const rowOf = this.rowOf;
    // Without sampling the slots are already in file order.
    if (this.reservoir.capacity !== null) order.sort((a, b) => rowOf[a]! - rowOf[b]!);
    return order;
  }

  private grow(): void {
    const capacity = this.reservoir.capacity;
    const rows = Math.min(this.rowOf.length * 2, capacity ?? Number.MAX_SAFE_INTEGER);
    const codes = new Int32Array(rows * this.width);
    codes.set(this.codes);
    this.codes = codes;
    const rowOf = new Float64Array(rows);
    rowOf.set(this.rowOf);
    this.rowOf = rowOf;
  }
}
