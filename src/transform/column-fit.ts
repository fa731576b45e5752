// Fitting one column's model (numeric, discrete or id) from its Arrow vector and metadata,
// and matching the metadata's entries to the table's columns.
import type * as arrow from 'apache-arrow';

import type { TransformConfig } from '../config/schema.ts';
import type { ColumnMetadata, TableMetadata } from '../schema/metadata.ts';
import { InvalidMetadataError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import { Rng } from '../util/rng.ts';
import type { FieldJSON } from './arrow-types.ts';
import { readCategories } from './arrow-read.ts';
import { DiscreteModel } from './discrete-model.ts';
import { learnIdPattern } from './id-model.ts';
import { readNumericColumn } from './numeric-codec.ts';
import {
  NumericModel,
  type BoundaryRule,
  type NumericFitOptions,
  type Rounding,
} from './numeric-model.ts';
import { scanRange, scanTimeStep } from './numeric-scan.ts';
import type { ColumnJSON } from './transformer-json.ts';

const log = getLogger('transform');

/** The part of a numeric column's fit options that comes from the transform config. */
export function modeSettings(
  config: TransformConfig,
): Omit<NumericFitOptions, 'rounding' | 'extrapolate' | 'min' | 'max' | 'boundaries'> {
  return {
    maxComponents: config.maxModes,
    weightConcentration: config.weightConcentration,
    minWeight: config.minModeWeight,
    maxIterations: config.maxIterations,
    tolerance: config.tolerance,
    fitRows: config.fitRows,
    pointMassShare: config.pointMassShare,
    maxPointMasses: config.maxPointMasses,
  };
}

/**
 * The metadata entries in table column order.
 * @throws InvalidMetadataError naming the table columns without an entry and the entries
 *   without a column
 */
export function matchMetadata(table: arrow.Table, metadata: TableMetadata): ColumnMetadata[] {
  const byName = new Map(metadata.columns.map((column) => [column.name, column]));
  const names = table.schema.fields.map((field) => field.name);
  const missing = names.filter((name) => !byName.has(name));
  const extra = metadata.columns.map((c) => c.name).filter((name) => !names.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`table columns without metadata: ${quoteAll(missing)}`);
    if (extra.length > 0) parts.push(`metadata columns not in the table: ${quoteAll(extra)}`);
    throw new InvalidMetadataError(
      `The metadata does not match the table (${parts.join('; ')}). Give one metadata entry ` +
        'per table column, spelled exactly as in the table.',
    );
  }
  return names.map((name) => byName.get(name)!);
}

function quoteAll(names: string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}

/**
 * Fits the model of one column.
 * @param vector the column
 * @param field its schema field, as JSON
 * @param meta its metadata entry
 * @param config mixture and point-mass settings
 * @param seed the fit's seed; the column's sample stream is seeded with it and the name
 * @returns the column's saved form
 */
export function fitColumn(
  vector: arrow.Vector,
  field: FieldJSON,
  meta: ColumnMetadata,
  config: TransformConfig,
  seed: number,
): ColumnJSON {
  const name = meta.name;
  if (meta.type === 'id') {
    return { name, type: 'id', pattern: learnIdPattern(vector, field.type, name) };
  }
  if (meta.type === 'continuous' || meta.type === 'datetime') {
    const source = { ...meta, type: meta.type };
    const read = readNumericColumn(vector, field.type, source);
    const { values, valid } = read.column;
    const range = scanRange(values, valid, read.decimalTolerance);
    let rounding: Rounding = null;
    if (meta.type === 'datetime') {
      const step = scanTimeStep(values, valid);
      rounding = step === null ? null : { step };
    } else if (meta.integer ?? range.whole) {
      rounding = { decimals: 0 };
    } else if (range.decimals !== null) {
      rounding = { decimals: range.decimals };
    }
    const model = NumericModel.fit(
      read.column,
      {
        ...modeSettings(config),
        rounding,
        extrapolate: meta.extrapolate ?? false,
        min: range.min,
        max: range.max,
        boundaries: {
          min: boundaryRule(range.minCount, values.length - read.column.nulls),
          max: boundaryRule(range.maxCount, values.length - read.column.nulls),
        },
      },
      new Rng(`${seed}:fit:${name}`),
    );
    log.debug('numeric column fitted', {
      column: name,
      modes: model.modeCount,
      ...model.state.fit,
    });
    return { name, type: meta.type, encoding: read.encoding, model: model.toJSON() };
  }
  const model = DiscreteModel.fit(readCategories(vector, name), meta);
  return { name, type: meta.type, model: model.toJSON() };
}

/** Share of the present rows at an end of the range from which the end is clipped to. */
const PILED_END_SHARE = 0.001;

// Clip at an end where real rows pile up on the end value (at least 0.1% of the present rows
// and 2 rows), fold back where the end value is as rare as any other (see BoundaryRule).
function boundaryRule(rowsAtEnd: number, presentRows: number): BoundaryRule {
  return rowsAtEnd >= 2 && rowsAtEnd >= PILED_END_SHARE * presentRows ? 'clip' : 'fold';
}
