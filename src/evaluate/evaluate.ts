// Scores a synthetic table against the real one: fidelity (SDMetrics' Column Shapes and
// Column Pair Trends), usefulness (train on synthetic, test on real) and privacy (copies and
// distance to the closest record). The entry point of `tabsynth evaluate`.
import type * as arrow from 'apache-arrow';

import { encodeTables, type EncodedColumn, type EncodedTable, type NamedTable } from './columns.ts';
import { columnDistributions } from './distributions.ts';
import type { MlpOptions } from './mlp.ts';
import { columnPairTrends, type PairBinning } from './pairs.ts';
import { privacy } from './privacy.ts';
import type {
  ColumnDistribution,
  ColumnShapeDetail,
  EvaluationResult,
  PairTrendDetail,
  QualityScores,
  UsefulnessResult,
} from './result.ts';
import { columnShapes, type DiscreteNulls } from './shapes.ts';
import { meanOfPresent } from './statistics.ts';
import { usefulness, type RowSet } from './usefulness.ts';
import type { TableMetadata } from '../schema/metadata.ts';
import { InvalidDataError } from '../util/errors.ts';
import { getLogger } from '../util/logger.ts';
import { Rng } from '../util/rng.ts';

const log = getLogger('evaluate');

/** The tables to compare. */
export interface EvaluateInput {
  /** The real table the model learned from. */
  real: arrow.Table;
  synthetic: arrow.Table;
  /** Real rows the model never saw; default: a seeded share of `real` is held out. */
  holdout?: arrow.Table;
  /** Column types; id columns are ignored. */
  metadata: TableMetadata;
  /** Column to predict for usefulness. Default `metadata.target`; none skips usefulness. */
  target?: string;
  /** Its positive class. Default `metadata.positiveClass`, else the rarer of two classes. */
  positiveClass?: string;
  /** Seeds every sample, split and model. Default 0. */
  seed?: number;
}

/** Settings of an evaluation; every field is optional. */
export interface EvaluateOptions {
  /** Run the usefulness check when a target is known. Default true. */
  usefulness?: boolean;
  /** Run the privacy check. Default true. */
  privacy?: boolean;
  /** Nulls of discrete columns in Column Shapes. Default 'category'. */
  discreteNulls?: DiscreteNulls;
  /** Bin edges of numeric columns in mixed pairs. Default 'per-table' (SDMetrics' report). */
  pairBinning?: PairBinning;
  /** Share of `real` held out when no holdout table is given. Default 0.2. */
  holdoutShare?: number;
  /** Rows each usefulness model trains on, at most (seeded sample). Default 50,000. */
  maxTrainRows?: number;
  /** Usefulness network settings. Default DEFAULT_MLP_OPTIONS. */
  model?: Partial<Omit<MlpOptions, 'seed'>>;
  /** Rows whose distance to the closest record is measured, per side. Default 2,000. */
  privacyQueryRows?: number;
  /** Real rows searched for the closest record, at most. Default 50,000. */
  privacyReferenceRows?: number;
}

/**
 * Compares a synthetic table with the real one.
 * @param input the tables, their metadata, the target and a seed
 * @param options what to run and how; see EvaluateOptions for the defaults
 * @returns every figure, JSON-safe
 * @throws InvalidDataError when a table is empty or does not match the metadata;
 *   UsageError when the target or positive class does not exist
 */
export async function evaluate(
  input: EvaluateInput,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const seed = input.seed ?? 0;
  const encoded = encodeTables(namedTables(input), input.metadata);
  const [real, synthetic, holdout] = encoded.tables as [EncodedTable, EncodedTable, EncodedTable?];
  const fidelity = scoreFidelity(encoded.columns, real, synthetic, options);

  // The real rows a model trains on, and the held-out rows it is tested on.
  const shareHeldOut = options.holdoutShare ?? 0.2;
  const split =
    holdout === undefined
      ? splitRows(real.rows, shareHeldOut, seed)
      : { train: allRows(real.rows), test: allRows(holdout.rows) };
  const sets: ModelSets = {
    realTrain: { values: real.values, rows: split.train },
    synthetic: { values: synthetic.values, rows: allRows(synthetic.rows) },
    test: { values: (holdout ?? real).values, rows: split.test },
    holdout:
      holdout === undefined
        ? `a seeded ${Math.round(shareHeldOut * 100)}% of the real rows (seed ${seed}); ` +
          'the real model trains on the other rows'
        : 'the given holdout table; the real model trains on all real rows',
  };
  const useful = await scoreUsefulness(encoded.columns, sets, input, options, seed);
  const privacyStart = performance.now();
  const privacyResult =
    options.privacy === false
      ? null
      : privacy({
          columns: encoded.columns,
          allReal: { values: real.values, rows: allRows(real.rows) },
          reference: sets.realTrain,
          synthetic: sets.synthetic,
          holdout: sets.test.rows.length > 0 ? sets.test : null,
          seed,
          queryRows: options.privacyQueryRows,
          referenceRows: options.privacyReferenceRows,
        });
  const privacySeconds = privacyResult === null ? null : seconds(privacyStart);
  if (privacyResult !== null) {
    log.info('privacy scored', {
      exactMatchShare: round(privacyResult.exactMatchShare),
      medianDistance: round(privacyResult.synthetic.median),
      seconds: round(privacySeconds),
    });
  }

  return {
    formatVersion: 1,
    rows: { real: real.rows, synthetic: synthetic.rows, holdout: holdout?.rows ?? null },
    ignoredColumns: encoded.ignored,
    seed,
    quality: fidelity.quality,
    columnShapes: fidelity.shapes,
    columnPairs: fidelity.pairs,
    usefulness: useful.result,
    ...(useful.skipped === undefined ? {} : { usefulnessSkipped: useful.skipped }),
    privacy: privacyResult,
    distributions: fidelity.distributions,
    timings: { fidelity: fidelity.seconds, usefulness: useful.seconds, privacy: privacySeconds },
  };
}

/**
 * A seeded split of row numbers into training and test rows.
 * @param rows how many rows there are
 * @param testShare share of rows in the test part (rounded to whole rows)
 * @returns both parts in increasing row order
 */
export function splitRows(
  rows: number,
  testShare: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const order = Array.from({ length: rows }, (_, row) => row);
  new Rng(seed).fork('holdout').shuffle(order);
  const testCount = Math.round(rows * testShare);
  return {
    train: Int32Array.from(order.slice(testCount)).sort(),
    test: Int32Array.from(order.slice(0, testCount)).sort(),
  };
}

/** The row sets the usefulness and privacy checks share. */
interface ModelSets {
  realTrain: RowSet;
  synthetic: RowSet;
  test: RowSet;
  /** Where the test rows come from, in words. */
  holdout: string;
}

function namedTables(input: EvaluateInput): NamedTable[] {
  const named: NamedTable[] = [
    { role: 'real', table: input.real },
    { role: 'synthetic', table: input.synthetic },
  ];
  for (const { role, table } of named) {
    if (table.numRows === 0) {
      throw new InvalidDataError(`The ${role} table has no rows; there is nothing to compare.`);
    }
  }
  if (input.holdout !== undefined) named.push({ role: 'holdout', table: input.holdout });
  return named;
}

// Column Shapes, Column Pair Trends and the distributions the report draws.
function scoreFidelity(
  columns: EncodedColumn[],
  real: EncodedTable,
  synthetic: EncodedTable,
  options: EvaluateOptions,
): {
  quality: QualityScores;
  shapes: ColumnShapeDetail[];
  pairs: PairTrendDetail[];
  distributions: ColumnDistribution[];
  seconds: number;
} {
  const start = performance.now();
  const shapes = columnShapes(columns, real.values, synthetic.values, options.discreteNulls);
  const pairs = columnPairTrends(columns, real.values, synthetic.values, options.pairBinning);
  const distributions = columnDistributions(columns, real.values, synthetic.values);
  const quality: QualityScores = {
    score: finiteOrNull(meanOfPresent([shapes.score, pairs.scoreAll])),
    columnShapes: finiteOrNull(shapes.score),
    columnPairTrends: finiteOrNull(pairs.scoreAll),
    columnPairTrendsImportant: finiteOrNull(pairs.scoreImportant),
    importantPairs: pairs.details.filter((pair) => pair.important).length,
    scoredPairs: pairs.details.filter((pair) => pair.score !== null).length,
  };
  const elapsed = seconds(start);
  log.info('fidelity scored', {
    columnShapes: round(shapes.score),
    columnPairTrends: round(pairs.scoreAll),
    seconds: round(elapsed),
  });
  return { quality, shapes: shapes.details, pairs: pairs.details, distributions, seconds: elapsed };
}

// Usefulness when a target is known and it is not turned off; else why it was skipped.
async function scoreUsefulness(
  columns: EncodedColumn[],
  sets: ModelSets,
  input: EvaluateInput,
  options: EvaluateOptions,
  seed: number,
): Promise<{ result: UsefulnessResult | null; skipped?: string; seconds: number | null }> {
  const target = input.target ?? input.metadata.target;
  if (options.usefulness === false) return { result: null, skipped: 'turned off', seconds: null };
  if (target === undefined) {
    const skipped = 'no target column: pass one (--target) or set "target" in the metadata';
    return { result: null, skipped, seconds: null };
  }
  const start = performance.now();
  const result = await usefulness({
    columns,
    ...sets,
    target,
    positiveClass: input.positiveClass ?? input.metadata.positiveClass,
    seed,
    maxTrainRows: options.maxTrainRows,
    model: options.model,
  });
  const elapsed = seconds(start);
  log.info('usefulness scored', {
    target,
    synthetic: result.synthetic,
    real: result.real,
    seconds: round(elapsed),
  });
  return { result, seconds: elapsed };
}

function allRows(rows: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, row) => row);
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
}
