// The fitted columns of a TableTransformer: each column's model with the place of its spans
// in a data row, built from the saved JSON, and the block-wise decoder of each column.
import type * as arrow from 'apache-arrow';

import type { FieldJSON } from './arrow-types.ts';
import { DiscreteModel } from './discrete-model.ts';
import { generateIds } from './id-model.ts';
import type { DataLayout, Matrix, OutputSpan } from './layout.ts';
import { writeNumericColumn, type NumericEncoding } from './numeric-codec.ts';
import { NumericModel, finishOutput } from './numeric-model.ts';
import type { ColumnJSON, TransformerJSON } from './transformer-json.ts';

/** A saved continuous or datetime column. */
export type NumericColumnJSON = Extract<ColumnJSON, { type: 'continuous' | 'datetime' }>;
/** A saved categorical, ordinal or boolean column. */
export type DiscreteColumnJSON = Extract<
  ColumnJSON,
  { type: 'categorical' | 'ordinal' | 'boolean' }
>;

/** A column's fitted model, with where its spans start in a data row. */
export type FittedColumn =
  | {
      kind: 'numeric';
      json: NumericColumnJSON;
      model: NumericModel;
      encoding: NumericEncoding;
      alphaColumn: number;
      modeStart: number;
    }
  | {
      kind: 'discrete';
      json: DiscreteColumnJSON;
      model: DiscreteModel;
      start: number;
    }
  | { kind: 'id'; json: Extract<ColumnJSON, { type: 'id' }> };

/** Decodes one column block by block, then builds its Arrow data. */
export interface ColumnDecoder {
  decode(from: number, to: number): void;
  finish(): arrow.Data;
}

/**
 * A decoder of one column of `matrix` (see TableTransformer.inverse).
 * @param column the fitted column
 * @param type the column's Arrow type at fit time
 * @param idStart first number of generated ids
 */
export function makeDecoder(
  column: FittedColumn,
  type: FieldJSON['type'],
  matrix: Matrix,
  idStart: number,
): ColumnDecoder {
  const { data, rows, cols } = matrix;
  switch (column.kind) {
    case 'numeric': {
      const out = column.model.allocateOutput(rows);
      const place = { cols, alphaColumn: column.alphaColumn, modeStart: column.modeStart };
      return {
        decode: (from, to) => column.model.decodeRows(data, place, from, to, out),
        finish: () => writeNumericColumn(finishOutput(out), column.encoding),
      };
    }
    case 'discrete': {
      const indices = new Int32Array(rows);
      return {
        decode: (from, to) => column.model.decodeRows(data, cols, column.start, from, to, indices),
        finish: () => column.model.toArrow(indices, type),
      };
    }
    case 'id':
      return {
        decode: () => undefined,
        finish: () => generateIds(column.json.pattern, type, rows, idStart),
      };
  }
}

/** Builds the column models and the layout from saved JSON. */
export function buildColumns(json: TransformerJSON): {
  columns: FittedColumn[];
  layout: DataLayout;
} {
  const spans: OutputSpan[] = [];
  const discrete: DataLayout['discrete'] = [];
  const columns: FittedColumn[] = [];
  let dataDim = 0;
  let condDim = 0;
  for (const column of json.columns) {
    if (column.type === 'id') {
      columns.push({ kind: 'id', json: column });
    } else if (isNumericJSON(column)) {
      const model = NumericModel.fromJSON(column.model);
      const alphaColumn = dataDim;
      const modeStart = dataDim + 1;
      spans.push({
        start: alphaColumn,
        width: 1,
        activation: 'tanh',
        role: 'alpha',
        column: column.name,
      });
      spans.push({
        start: modeStart,
        width: model.modeCount,
        activation: 'softmax',
        role: 'mode',
        column: column.name,
      });
      // A column of one mode has nothing to condition on.
      if (json.conditionOnModes === true && model.modeCount > 1) {
        discrete.push({
          column: column.name,
          dataStart: modeStart,
          condStart: condDim,
          width: model.modeCount,
        });
        condDim += model.modeCount;
      }
      dataDim = modeStart + model.modeCount;
      columns.push({
        kind: 'numeric',
        json: column,
        model,
        encoding: column.encoding,
        alphaColumn,
        modeStart,
      });
    } else {
      const model = DiscreteModel.fromJSON(column.model);
      spans.push({
        start: dataDim,
        width: model.width,
        activation: 'softmax',
        role: 'category',
        column: column.name,
      });
      discrete.push({
        column: column.name,
        dataStart: dataDim,
        condStart: condDim,
        width: model.width,
      });
      columns.push({ kind: 'discrete', json: column, model, start: dataDim });
      dataDim += model.width;
      condDim += model.width;
    }
  }
  return { columns, layout: { spans, dataDim, discrete, condDim } };
}

function isNumericJSON(column: ColumnJSON): column is NumericColumnJSON {
  return column.type === 'continuous' || column.type === 'datetime';
}
