// What a `tabsynth sample` run draws and writes: the shard's rows of the global row sequence,
// the candidate stream, and the --where clauses resolved against the model (one served by the
// condition vector, all checked on every row).
import type { TableTransformer } from '../transform/table-transformer.ts';
import { UsageError } from '../util/errors.ts';
import type { StreamKey } from './block-streams.ts';
import type { ConditionSpec, ConditionWeighting } from './candidate-generator.ts';
import type { CategoryCheck } from './row-activation.ts';

/** A --where COLUMN=VALUE clause as given. */
export interface WhereClause {
  column: string;
  value: string;
}

/** Part I (1-based) of N. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** The rows a run writes and where its candidates come from. */
export interface SamplePlan {
  key: StreamKey;
  /** Index in the stream of the first candidate. */
  firstCandidate: number;
  /** Rows to write. */
  rows: number;
  /** Id of the first row (its global row index: ids are unique across shards). */
  idStart: number;
  /** True when every candidate is written (no --where): candidates = rows. */
  exact: boolean;
  condition: ConditionSpec;
  checks: CategoryCheck[];
}

/**
 * Rows [floor((I-1) R / N), floor(I R / N)) of R: the shards of a run tile the rows exactly.
 * @param total R, the rows of the whole run
 * @param shard I/N, or null for the whole run
 */
export function shardRows(total: number, shard: ShardSpec | null): { start: number; end: number } {
  if (shard === null) return { start: 0, end: total };
  const bound = (index: number): number =>
    Number((BigInt(total) * BigInt(index)) / BigInt(shard.count));
  return { start: bound(shard.index - 1), end: bound(shard.index) };
}

/**
 * The plan of a run. Without --where, shard I writes its range of the global candidate
 * sequence (stream 0), so the shards concatenated are the unsharded file. With --where,
 * accepted rows cannot be indexed without generating every row before them, so each shard
 * draws its own candidates (stream I; 1 when unsharded) and writes its share of the rows; ids
 * still start at the shard's first global row.
 * @throws UsageError for an unknown column or value, or clauses that contradict each other
 */
export function planSampling(
  transformer: TableTransformer,
  options: {
    rows: number;
    seed: number;
    shard: ShardSpec | null;
    where: WhereClause[];
    conditions?: ConditionWeighting | undefined;
  },
): SamplePlan {
  const { start, end } = shardRows(options.rows, options.shard);
  const hasDiscrete = transformer.layout.discrete.length > 0;
  const weighting = options.conditions ?? 'original';
  if (options.where.length === 0) {
    return {
      key: { seed: options.seed, stream: 0 },
      firstCandidate: start,
      rows: end - start,
      idStart: start,
      exact: true,
      condition: hasDiscrete ? { kind: weighting } : { kind: 'none' },
      checks: [],
    };
  }
  if (weighting !== 'original') {
    throw new UsageError(
      `--conditions ${weighting} draws each row's condition, and --where fixes it for every ` +
        'row: give one of the two.',
    );
  }
  const { condition, checks } = resolveWhere(transformer, options.where);
  return {
    key: { seed: options.seed, stream: options.shard?.index ?? 1 },
    firstCandidate: 0,
    rows: end - start,
    idStart: start,
    exact: false,
    condition,
    checks,
  };
}

/**
 * Resolves --where clauses: each names a category of a discrete column. The rarest category
 * (fewest training rows) becomes the condition vector of every candidate; every clause is
 * checked on every row, as the generator does not always produce the condition it is given.
 * @throws UsageError for an unknown column or value (listing the valid ones) or two values
 *   for one column
 */
export function resolveWhere(
  transformer: TableTransformer,
  clauses: WhereClause[],
): { condition: ConditionSpec; checks: CategoryCheck[] } {
  const checks: CategoryCheck[] = [];
  let rarest: { column: number; category: number; count: number } | null = null;
  for (const clause of clauses) {
    const category = categoryOf(transformer, clause);
    const column = transformer.layout.discrete.findIndex((entry) => entry.column === clause.column);
    const discrete = transformer.layout.discrete[column]!;
    const same = checks.find((check) => check.column === clause.column);
    if (same !== undefined && same.category !== category) {
      throw new UsageError(
        `--where ${clause.column}=${same.value} and --where ${clause.column}=${clause.value} ` +
          'cannot both hold: a row has one value per column. Keep one of them.',
      );
    }
    if (same !== undefined) continue;
    checks.push({ ...clause, layoutStart: discrete.dataStart, category });
    const count = transformer.categoryCounts(clause.column)[category]!;
    if (rarest === null || count < rarest.count) rarest = { column, category, count };
  }
  return {
    condition: { kind: 'fixed', column: rarest!.column, category: rarest!.category },
    checks,
  };
}

/** The clause's category index; the transformer's UsageError prefixed with the clause. */
function categoryOf(transformer: TableTransformer, clause: WhereClause): number {
  try {
    return transformer.categoryIndex(clause.column, clause.value);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`--where ${clause.column}=${clause.value}: ${error.message}`, {
      cause: error,
    });
  }
}
