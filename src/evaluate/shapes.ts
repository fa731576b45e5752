// Column Shapes, as SDMetrics defines it: per column, 1 - KS statistic for numeric and
// datetime columns, 1 - total variation distance for discrete ones; the property is the mean.
import type { EncodedColumn } from './columns.ts';
import type { ColumnShapeDetail } from './result.ts';
import { countCodes, ksStatistic, meanOfPresent, totalVariation } from './statistics.ts';

/**
 * How nulls of discrete columns enter the TV complement.
 * - category: null is one more category, so a wrong share of nulls costs score (default)
 * - drop: nulls are dropped first, as SDMetrics' TVComplement does
 */
export type DiscreteNulls = 'category' | 'drop';

/**
 * Scores every column's shape; numeric columns drop nulls (a null has no place on the line).
 * @param columns the encoded columns
 * @param real the real table's arrays, aligned with `columns`
 * @param synthetic the synthetic table's arrays
 * @param discreteNulls default 'category'
 * @returns per-column details, worst first, and their mean (NaN when no column scores)
 */
export function columnShapes(
  columns: EncodedColumn[],
  real: (Float64Array | Int32Array)[],
  synthetic: (Float64Array | Int32Array)[],
  discreteNulls: DiscreteNulls = 'category',
): { details: ColumnShapeDetail[]; score: number } {
  const details = columns.map((column, index) =>
    scoreColumn(column, real[index]!, synthetic[index]!, discreteNulls),
  );
  const score = meanOfPresent(details.map((detail) => detail.score ?? NaN));
  details.sort(worstFirst);
  return { details, score };
}

function scoreColumn(
  column: EncodedColumn,
  real: Float64Array | Int32Array,
  synthetic: Float64Array | Int32Array,
  discreteNulls: DiscreteNulls,
): ColumnShapeDetail {
  if (column.kind === 'numeric') {
    const statistic = ksStatistic(real as Float64Array, synthetic as Float64Array);
    const detail: ColumnShapeDetail = {
      column: column.name,
      type: column.type,
      metric: 'KSComplement',
      score: Number.isNaN(statistic) ? null : 1 - statistic,
      realNullShare: nanShare(real as Float64Array),
      syntheticNullShare: nanShare(synthetic as Float64Array),
    };
    if (detail.score === null) detail.note = 'a side has no non-null values';
    return detail;
  }

  const size = column.labels.length;
  const realCounts = countCodes(real as Int32Array, size);
  const syntheticCounts = countCodes(synthetic as Int32Array, size);
  const nullCode = column.labels.indexOf(null);
  const realNullShare = nullCode < 0 ? 0 : realCounts[nullCode]! / real.length;
  const syntheticNullShare = nullCode < 0 ? 0 : syntheticCounts[nullCode]! / synthetic.length;
  if (discreteNulls === 'drop' && nullCode >= 0) {
    realCounts[nullCode] = 0;
    syntheticCounts[nullCode] = 0;
  }
  const distance = totalVariation(realCounts, syntheticCounts);
  const detail: ColumnShapeDetail = {
    column: column.name,
    type: column.type,
    metric: 'TVComplement',
    score: Number.isNaN(distance) ? null : 1 - distance,
    realNullShare,
    syntheticNullShare,
  };
  if (detail.score === null) detail.note = 'a side has no non-null values';
  return detail;
}

/** Orders details by score, lowest first, unscored last; ties keep their order. */
export function worstFirst(a: { score: number | null }, b: { score: number | null }): number {
  return (a.score ?? Infinity) - (b.score ?? Infinity);
}

function nanShare(values: Float64Array): number {
  if (values.length === 0) return 0;
  let nulls = 0;
  for (const value of values) if (Number.isNaN(value)) nulls++;
  return nulls / values.length;
}
