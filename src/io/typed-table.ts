// Collects the record batches of a typed file (Parquet, Arrow IPC) into a tabsynth table:
// every batch is normalized (typed-column.ts), then kept whole or, with maxRows, sampled by a
// reservoir whose kept rows are copied out of their batch so the batch can be freed.
import * as arrow from 'apache-arrow';

import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { Reservoir } from './reservoir.ts';
import { takeRows } from './take.ts';
import { allNullError } from './text-table.ts';
import { TypedColumn } from './typed-column.ts';

/** What collectBatches needs to know. */
export interface CollectOptions {
  file: string;
  metadata?: TableMetadata;
  maxRows: number | null;
  seed: number;
}

/**
 * Reads batches to the end and returns the table of the kept rows, in file order.
 * @param batches the file's record batches, in order
 * @param options file name, metadata, sampling
 * @returns the table; its chunks follow the file's batches
 * @throws InvalidDataError for a file without rows, a column null in every row, columns of
 *   types tabsynth cannot learn, and values the column's type rejects
 */
export async function collectBatches(
  batches: AsyncIterable<arrow.RecordBatch>,
  options: CollectOptions,
): Promise<arrow.Table> {
  const { file } = options;
  let columns: TypedColumn[] | null = null;
  const sampler = new BatchSampler(options.maxRows, options.seed);
  let rows = 0;
  for await (const batch of batches) {
    columns ??= batch.schema.fields.map(
      (field) =>
        new TypedColumn(
          field,
          options.metadata?.columns.find((column) => column.name === field.name),
          file,
        ),
    );
    if (batch.numRows === 0) continue;
    const vectors = columns.map((column, index) =>
      column.normalize(batch.getChildAt(index)!, rows + 1),
    );
    rows += batch.numRows;
    sampler.add(
      batchOf(
        columns.map((column) => column.field.name),
        vectors,
      ),
    );
  }
  if (columns === null || rows === 0) {
    throw new InvalidDataError(`${file}: the table has no rows; it needs at least one row.`);
  }
  for (const column of columns)
    if (column.nonNull === 0) throw allNullError(file, column.field.name);

  const pieces = sampler.finish();
  const finished = pieces.map((piece) =>
    columns.map((column, index) => column.finish(piece.getChildAt(index)!)),
  );
  const fields = columns.map((column, index) => column.finalField(finished[0]![index]!));
  const schema = new arrow.Schema(fields);
  return new arrow.Table(
    schema,
    finished.map((vectors) => batchOf(fields, vectors, schema)),
  );
}

/** A record batch from one single-chunk vector per column. */
function batchOf(
  fields: readonly (arrow.Field | string)[],
  vectors: readonly arrow.Vector[],
  schema?: arrow.Schema,
): arrow.RecordBatch {
  const fullFields = fields.map((field, index) =>
    typeof field === 'string' ? new arrow.Field(field, vectors[index]!.type, true) : field,
  );
  const data = arrow.makeData({
    type: new arrow.Struct(fullFields),
    length: vectors[0]!.length,
    nullCount: 0,
    children: vectors.map((vector) => vector.data[0]!),
  });
  return new arrow.RecordBatch(schema ?? new arrow.Schema(fullFields), data);
}

/**
 * Keeps every batch, or a reservoir sample of rows. Kept rows are copied into pieces, one
 * per batch that contributed; pieces stay in file order, so their live rows in order are
 * the sample in file order. When the pieces hold more than twice maxRows rows, the rows that
 * later batches replaced are dropped.
 */
class BatchSampler {
  private readonly reservoir: Reservoir;
  private pieces: arrow.RecordBatch[] = [];
  private slotPiece: Int32Array;
  private slotRow: Int32Array;
  private heldRows = 0;

  constructor(
    private readonly maxRows: number | null,
    seed: number,
  ) {
    this.reservoir = new Reservoir(maxRows, seed);
    this.slotPiece = new Int32Array(maxRows ?? 0);
    this.slotRow = new Int32Array(maxRows ?? 0);
  }

  add(batch: arrow.RecordBatch): void {
    if (this.maxRows === null) {
      this.pieces.push(batch);
      return;
    }
    const chosen: number[] = [];
    const slots: number[] = [];
    for (let row = 0; row < batch.numRows; row++) {
      const slot = this.reservoir.offer();
      if (slot < 0) continue;
      chosen.push(row);
      slots.push(slot);
    }
    if (chosen.length === 0) return;
    const piece =
      chosen.length === batch.numRows ? batch : takeRows(batch, Uint32Array.from(chosen));
    const pieceIndex = this.pieces.length;
    this.pieces.push(piece);
    slots.forEach((slot, k) => {
      this.slotPiece[slot] = pieceIndex;
      this.slotRow[slot] = k;
    });
    this.heldRows += piece.numRows;
    if (this.heldRows > 2 * this.maxRows) this.compact();
  }

  finish(): arrow.RecordBatch[] {
    if (this.maxRows !== null) this.compact();
    return this.pieces;
  }

  /** Copies each piece's live rows into a new piece and forgets the replaced ones. */
  private compact(): void {
    const kept = Math.min(this.reservoir.seen, this.maxRows!);
    const liveRows: number[][] = this.pieces.map(() => []);
    for (let slot = 0; slot < kept; slot++)
      liveRows[this.slotPiece[slot]!]!.push(this.slotRow[slot]!);
    const newIndex = new Int32Array(this.pieces.length).fill(-1);
    const rank: Int32Array[] = [];
    const pieces: arrow.RecordBatch[] = [];
    liveRows.forEach((rows, index) => {
      if (rows.length === 0) return;
      rows.sort((a, b) => a - b);
      const piece = this.pieces[index]!;
      const ranks = new Int32Array(piece.numRows);
      rows.forEach((row, position) => (ranks[row] = position));
      rank[index] = ranks;
      newIndex[index] = pieces.length;
      pieces.push(rows.length === piece.numRows ? piece : takeRows(piece, Uint32Array.from(rows)));
    });
    for (let slot = 0; slot < kept; slot++) {
      const piece = this.slotPiece[slot]!;
      this.slotRow[slot] = rank[piece]![this.slotRow[slot]!]!;
      this.slotPiece[slot] = newIndex[piece]!;
    }
    this.pieces = pieces;
    this.heldRows = pieces.reduce((sum, piece) => sum + piece.numRows, 0);
  }
}
