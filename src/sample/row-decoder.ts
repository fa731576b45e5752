// Turns activated candidates into table rows: keeps the accepted ones (--where) up to the rows
// still wanted, and runs the transformer's inverse into Arrow columns with the training
// table's schema and field metadata. Runs where the output is written.
import type * as arrow from 'apache-arrow';

import type { TableTransformer } from '../transform/table-transformer.ts';
import type { ActivatedRows } from './row-activation.ts';

/** Decoded rows of one piece of candidates. */
export interface DecodedRows {
  /** The accepted rows, with the training table's schema. */
  table: arrow.Table;
  /** Rows in the table. */
  accepted: number;
  /** Candidates examined: all of the piece, or up to the one that reached the limit. */
  examined: number;
}

/** Decodes candidates; see the file header. */
export class RowDecoder {
  private readonly dataDim: number;

  /** @param transformer the fitted transformer (its layout is the generator's) */
  constructor(private readonly transformer: TableTransformer) {
    this.dataDim = transformer.layout.dataDim;
  }

  /** The schema of every decoded table (the training table's, field metadata included). */
  schema(): arrow.Schema {
    return this.transformer.inverse({ data: new Float32Array(0), rows: 0, cols: this.dataDim })
      .schema;
  }

  /**
   * Decodes a piece of activated candidates.
   * @param rows the piece
   * @param idStart the id of the first accepted row (id columns count on from it)
   * @param limit keep at most this many rows (the rest of the piece is dropped)
   */
  decode(rows: ActivatedRows, idStart: number, limit: number): DecodedRows {
    const dataDim = this.dataDim;
    let matrix = rows.matrix;
    let accepted = Math.min(rows.count, limit);
    let examined = accepted;
    if (rows.accepted !== null) {
      // Move the accepted rows to the front, in order (in place: the piece is ours).
      accepted = 0;
      examined = rows.count;
      for (let row = 0; row < rows.count && accepted < limit; row++) {
        if (rows.accepted[row] === 0) continue;
        if (accepted !== row) {
          matrix.copyWithin(accepted * dataDim, row * dataDim, (row + 1) * dataDim);
        }
        accepted++;
        if (accepted === limit) examined = row + 1;
      }
    }
    matrix = matrix.subarray(0, accepted * dataDim);
    const table = this.transformer.inverse(
      { data: matrix, rows: accepted, cols: dataDim },
      { idStart },
    );
    return { table, accepted, examined };
  }
}
