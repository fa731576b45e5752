// The saved form of a fitted TableTransformer and the per-column summary that `describe`
// returns (what `tabsynth inspect-data` and `inspect` print), with the checks on loading.
import { CheckpointError } from '../util/errors.ts';
import type { ColumnType } from '../schema/metadata.ts';
import type { FieldJSON } from './arrow-types.ts';
import type { CategoryJSON, DiscreteModelJSON } from './discrete-model.ts';
import type { IdPattern } from './id-model.ts';
import type { NumericEncoding } from './numeric-codec.ts';
import type { NumericModelJSON, Rounding } from './numeric-model.ts';

/** Format name written in every saved transformer. */
export const TRANSFORMER_FORMAT = 'tabsynth-transformer';
/**
 * Format version written in every saved transformer; fromJSON reads it and every older one.
 * 2 added `conditionOnModes` (version 1 transformers condition on discrete columns only).
 */
export const TRANSFORMER_VERSION = 2;

/** One column of a saved transformer. */
export type ColumnJSON =
  | {
      name: string;
      type: 'continuous' | 'datetime';
      encoding: NumericEncoding;
      model: NumericModelJSON;
    }
  | { name: string; type: 'categorical' | 'ordinal' | 'boolean'; model: DiscreteModelJSON }
  | { name: string; type: 'id'; pattern: IdPattern };

/** A fitted TableTransformer as plain JSON: no NaN or infinities, numbers exact. */
export interface TransformerJSON {
  format: typeof TRANSFORMER_FORMAT;
  /** TRANSFORMER_VERSION when written, or an older version read from disk. */
  version: number;
  /** Rows of the fit table. */
  rows: number;
  /**
   * Whether numeric columns' modes are in the condition vector (TransformConfig's
   * conditionOnModes). Absent in version 1, which conditions on discrete columns only.
   */
  conditionOnModes?: boolean;
  /** The fit table's schema, field by field, in table order. */
  fields: FieldJSON[];
  /** The fit table's schema metadata, when it had any. */
  schemaMetadata?: Record<string, string>;
  /** One entry per field, in the same order. */
  columns: ColumnJSON[];
}

/** One mode of a numeric column, as `describe` reports it. */
export interface ModeSummary {
  /** component: a mixture mode; coverage: one added to reach outliers; point; null. */
  kind: 'component' | 'coverage' | 'point' | 'null';
  /** Share of the column's rows (all rows, nulls included) that the mode holds. */
  weight: number;
  /** component and coverage: mean and standard deviation (epoch ms for datetimes). */
  mean?: number;
  std?: number;
  /** point: the exact value. */
  value?: number;
}

/** What `describe` says about one column. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** The column's Arrow type, as Arrow writes it ('Float64', 'Dictionary<Int32, Utf8>'). */
  arrowType: string;
  rows: number;
  nulls: number;
  /** Columns of the data matrix the column takes (0 for id columns). */
  width: number;
  /** continuous and datetime: observed range, rounding, modes and how the mixture fit went. */
  min?: number;
  max?: number;
  rounding?: Rounding;
  modes?: ModeSummary[];
  fit?: NumericModelJSON['fit'];
  /** discrete: categories in span order with their counts. */
  categories?: { value: CategoryJSON; count: number }[];
  /** id: how generated ids are written. */
  idPattern?: IdPattern;
}

/**
 * Checks that `json` is a saved transformer this version can read.
 * @throws CheckpointError naming what is wrong
 */
export function checkTransformerJSON(json: unknown): asserts json is TransformerJSON {
  const value = json as Partial<TransformerJSON> | null;
  if (value === null || typeof value !== 'object' || value.format !== TRANSFORMER_FORMAT) {
    throw new CheckpointError(
      `The saved transformer is not a ${TRANSFORMER_FORMAT} object; the model bundle or run ` +
        'directory is damaged. Train again or restore it from a backup.',
    );
  }
  const version = value.version;
  if (!Number.isInteger(version) || version! < 1 || version! > TRANSFORMER_VERSION) {
    throw new CheckpointError(
      `The saved transformer has version ${String(version)}; this tabsynth reads versions 1 ` +
        `to ${TRANSFORMER_VERSION}. Use the tabsynth version that trained the model.`,
    );
  }
  if (!Array.isArray(value.fields) || !Array.isArray(value.columns)) {
    throw new CheckpointError('The saved transformer lacks its fields or columns; it is damaged.');
  }
  if (value.fields.length !== value.columns.length) {
    throw new CheckpointError(
      `The saved transformer has ${value.fields.length} fields but ${value.columns.length} ` +
        'columns; it is damaged.',
    );
  }
}

/** The modes of a numeric column model, with weights as shares of all its rows. */
export function summarizeModes(model: NumericModelJSON): ModeSummary[] {
  const rows = Math.max(model.rows, 1);
  let mixtureRows = model.rows - model.nulls;
  for (const mass of model.pointMasses) mixtureRows -= mass.count;
  const modes: ModeSummary[] = model.pointMasses.map((mass) => ({
    kind: 'point',
    weight: mass.count / rows,
    value: mass.value,
  }));
  for (const component of model.components) {
    modes.push({
      kind: component.coverage ? 'coverage' : 'component',
      weight: (component.weight * mixtureRows) / rows,
      mean: component.mean,
      std: component.std,
    });
  }
  if (model.nullMode) modes.push({ kind: 'null', weight: model.nulls / rows });
  return modes;
}
