// The TableTransformer turns an Arrow table into the model's float32 matrix and back: one
// numeric model (mode-specific normalization), discrete model (one-hot) or id generator per
// column, laid out as the spans of a DataLayout.
import * as arrow from 'apache-arrow';

import type { TransformConfig } from '../config/schema.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError, ShapeMismatchError, UsageError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import type { Rng } from '../util/rng.ts';
import { fieldFromJSON, fieldToJSON, typeFromJSON } from './arrow-types.ts';
import { readCategories } from './arrow-read.ts';
import { fitColumn, matchMetadata } from './column-fit.ts';
import { buildColumns, makeDecoder, type FittedColumn } from './fitted-column.ts';
import type { DataLayout, Matrix } from './layout.ts';
import { readNumericColumn, sourceOf } from './numeric-codec.ts';
import {
  TRANSFORMER_FORMAT,
  TRANSFORMER_VERSION,
  checkTransformerJSON,
  summarizeModes,
  type ColumnSummary,
  type TransformerJSON,
} from './transformer-json.ts';

const log = getLogger('transform');

/** Rows encoded or decoded per block: 2048 rows of a 200-wide matrix are 1.6 MB. */
const BLOCK_ROWS = 2048;

/** Options of TableTransformer.inverse. */
export interface InverseOptions {
  /** First number of generated id columns (rows get idStart, idStart + 1, ...). Default 0. */
  idStart?: number;
}

/**
 * Fits per-column models on a table and converts between tables and data matrices.
 * Transforming is seeded (mode draws); inverting is deterministic and row-independent.
 */
export class TableTransformer {
  /** The spans of a data row and the discrete columns' places in the condition vector. */
  readonly layout: DataLayout;
  private readonly columns: FittedColumn[];
  private readonly fields: arrow.Field[];
  private readonly byName: Map<string, FittedColumn>;

  private constructor(private readonly json: TransformerJSON) {
    this.fields = json.fields.map(fieldFromJSON);
    const { columns, layout } = buildColumns(json);
    this.columns = columns;
    this.layout = layout;
    this.byName = new Map(columns.map((column) => [column.json.name, column]));
  }

  /**
   * Fits a model to every column of `table`.
   * @param table the training table; its schema becomes the schema of `inverse`'s output
   * @param metadata one entry per column of the table (any order)
   * @param config mixture and point-mass settings (see TransformConfig)
   * @param seed seeds the samples the mixtures are fitted on (one stream per column name)
   * @throws InvalidMetadataError when metadata and table columns differ, or an ordinal's
   *   order misses a level; InvalidDataError for unsupported Arrow types or unparsable text
   */
  static fit(
    table: arrow.Table,
    metadata: TableMetadata,
    config: TransformConfig,
    seed: number,
  ): TableTransformer {
    const started = performance.now();
    if (table.numRows === 0) {
      throw new InvalidDataError('The table has no rows; a transformer needs data to fit.');
    }
    const declared = matchMetadata(table, metadata);
    const fields = table.schema.fields.map(fieldToJSON);
    const columns = fields.map((field, index) =>
      fitColumn(table.getChildAt(index)!, field, declared[index]!, config, seed),
    );
    const json: TransformerJSON = {
      format: TRANSFORMER_FORMAT,
      version: TRANSFORMER_VERSION,
      rows: table.numRows,
      conditionOnModes: config.conditionOnModes,
      fields,
      columns,
    };
    if (table.schema.metadata.size > 0) {
      json.schemaMetadata = Object.fromEntries(table.schema.metadata);
    }
    const transformer = new TableTransformer(json);
    log.info('transformer fitted', {
      rows: table.numRows,
      columns: columns.length,
      dataDim: transformer.layout.dataDim,
      condDim: transformer.layout.condDim,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    });
    return transformer;
  }

  /**
   * Rebuilds a transformer from `toJSON` output.
   * @throws CheckpointError when the JSON is not a transformer of this version
   */
  static fromJSON(json: unknown): TableTransformer {
    checkTransformerJSON(json);
    return new TableTransformer(structuredClone(json));
  }

  /**
   * Encodes a table (the fit table, or one with the same columns) as a data matrix.
   * @param table must hold every fitted column (by name); extra columns are ignored
   * @param rng draws the modes of mixture values; one child stream per column
   * @returns [rows, dataDim] float32, row-major
   * @throws InvalidDataError for a missing column or a category unseen at fit time
   */
  transform(table: arrow.Table, rng: Rng): Matrix {
    const rows = table.numRows;
    const cols = this.layout.dataDim;
    const data = new Float32Array(rows * cols);
    const encoders: ((from: number, to: number) => void)[] = [];
    for (const column of this.columns) {
      const name = column.json.name;
      const columnRng = rng.fork(`transform:${name}`);
      if (column.kind === 'id') continue;
      const vector = table.getChild(name);
      const field = table.schema.fields.find((candidate) => candidate.name === name);
      if (vector === null || field === undefined) {
        throw new InvalidDataError(
          `The table has no column "${name}", which the transformer was fitted on. ` +
            `Fitted columns: ${this.columns.map((c) => JSON.stringify(c.json.name)).join(', ')}.`,
        );
      }
      const type = fieldToJSON(field).type;
      if (column.kind === 'numeric') {
        const source = sourceOf(name, column.json.type, column.encoding);
        const values = readNumericColumn(vector, type, source).column;
        const place = { cols, alphaColumn: column.alphaColumn, modeStart: column.modeStart };
        encoders.push((from, to) =>
          column.model.encodeRows(values, data, place, from, to, columnRng),
        );
      } else {
        const coded = readCategories(vector, name);
        const slots = column.model.slotsOf(coded, name);
        encoders.push((from, to) =>
          column.model.encodeRows(coded.codes, slots, data, cols, column.start, from, to),
        );
      }
    }
    // Block by block, so that a block of matrix rows stays in cache while every column
    // writes to it (column by column over a million rows misses the cache on every row).
    for (let from = 0; from < rows; from += BLOCK_ROWS) {
      const to = Math.min(rows, from + BLOCK_ROWS);
      for (const encode of encoders) encode(from, to);
    }
    return { data, rows, cols };
  }

  /**
   * Decodes a data matrix (real or generated) into a table with the fit table's schema.
   * Each row is decoded on its own: argmax picks modes and categories.
   * @param matrix [rows, dataDim]
   * @param options see InverseOptions
   * @throws ShapeMismatchError when the matrix width is not dataDim
   */
  inverse(matrix: Matrix, options: InverseOptions = {}): arrow.Table {
    const { rows, cols, data } = matrix;
    if (cols !== this.layout.dataDim || data.length !== rows * cols) {
      const actual = [data.length / Math.max(cols, 1), cols];
      const expected = [rows, this.layout.dataDim];
      throw new ShapeMismatchError('TableTransformer.inverse matrix', expected, actual);
    }
    const decoders = this.columns.map((column, index) =>
      makeDecoder(column, this.json.fields[index]!.type, matrix, options.idStart ?? 0),
    );
    for (let from = 0; from < rows; from += BLOCK_ROWS) {
      const to = Math.min(rows, from + BLOCK_ROWS);
      for (const decoder of decoders) decoder.decode(from, to);
    }
    const children = decoders.map((decoder) => decoder.finish());
    const metadata = new Map(Object.entries(this.json.schemaMetadata ?? {}));
    const schema = new arrow.Schema(this.fields, metadata);
    const struct = arrow.makeData({
      type: new arrow.Struct(this.fields),
      length: rows,
      nullCount: 0,
      children,
    });
    return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
  }

  /**
   * Rows of each category of a discrete column at fit time, in span order.
   * @throws UsageError when the column is not a fitted discrete column
   */
  categoryCounts(column: string): number[] {
    return [...this.discrete(column).model.state.counts];
  }

  /**
   * The span index of the category of `column` written `value` (for conditions such as
   * `--where sex=" Female"`): exact text first, then numbers, booleans and 'null' by text form.
   * @throws UsageError when the column is not discrete or has no such category; the message
   *   lists the valid values
   */
  categoryIndex(column: string, value: string): number {
    return this.discrete(column).model.indexOf(value, column);
  }

  /** A summary of every column: type, rows, nulls, modes or categories, span width. */
  describe(): ColumnSummary[] {
    return this.columns.map((column, index) => {
      const field = this.json.fields[index]!;
      const base = {
        name: column.json.name,
        type: column.json.type,
        arrowType: String(typeFromJSON(field.type)),
      };
      if (column.kind === 'numeric') {
        const model = column.model.state;
        return {
          ...base,
          rows: model.rows,
          nulls: model.nulls,
          width: 1 + column.model.modeCount,
          min: model.min,
          max: model.max,
          rounding: model.rounding,
          modes: summarizeModes(model),
          fit: { ...model.fit },
        };
      }
      if (column.kind === 'discrete') {
        const { categories, counts } = column.model.state;
        const nullIndex = categories.indexOf(null);
        return {
          ...base,
          rows: this.json.rows,
          nulls: nullIndex >= 0 ? counts[nullIndex]! : 0,
          width: column.model.width,
          categories: categories.map((value, slot) => ({ value, count: counts[slot]! })),
        };
      }
      return { ...base, rows: this.json.rows, nulls: 0, width: 0, idPattern: column.json.pattern };
    });
  }

  /** The fitted transformer as JSON (a deep copy), readable by fromJSON. */
  toJSON(): TransformerJSON {
    return structuredClone(this.json);
  }

  private discrete(column: string): Extract<FittedColumn, { kind: 'discrete' }> {
    const fitted = this.byName.get(column);
    if (fitted?.kind === 'discrete') return fitted;
    const discrete = this.columns.filter((c) => c.kind === 'discrete').map((c) => c.json.name);
    const what = fitted === undefined ? 'is not a column of the table' : `is ${fitted.json.type}`;
    throw new UsageError(
      `Column ${JSON.stringify(column)} ${what}; conditions need a categorical, ordinal or ` +
        `boolean column: ${discrete.map((name) => JSON.stringify(name)).join(', ')}.`,
    );
  }
}
