// The shape of an evaluation: every figure `tabsynth evaluate` computes, as plain JSON-safe
// data (numbers, strings, arrays; a figure that cannot be computed is null, never NaN).
import type { ColumnType } from '../schema/metadata.ts';

/** How a single column was compared. */
export type ShapeMetric = 'KSComplement' | 'TVComplement';

/** How a pair of columns was compared. */
export type PairMetric = 'CorrelationSimilarity' | 'ContingencySimilarity';

/** Column Shapes for one column: 1 means the real and synthetic distributions are equal. */
export interface ColumnShapeDetail {
  column: string;
  type: ColumnType;
  metric: ShapeMetric;
  /** In [0, 1]; null when a side has no values to compare (see `note`). */
  score: number | null;
  /** Share of null values among the real rows, and among the synthetic rows. */
  realNullShare: number;
  syntheticNullShare: number;
  /** Why the score is null, when it is. */
  note?: string;
}

/** Column Pair Trends for one pair of columns. */
export interface PairTrendDetail {
  columnA: string;
  columnB: string;
  metric: PairMetric;
  /** In [0, 1]; null when it cannot be computed (see `note`). */
  score: number | null;
  /** Pearson r of the pair in the real and synthetic rows (numeric pairs only). */
  realCorrelation: number | null;
  syntheticCorrelation: number | null;
  /** Cramer's V of the pair in the real rows (contingency pairs only). */
  realAssociation: number | null;
  /** Whether the pair is strongly related in the real rows (|r| > 0.5 or V > 0.3). */
  important: boolean;
  /** Why the score is null, when it is. */
  note?: string;
}

/** The fidelity scores (SDMetrics' Quality Report properties). */
export interface QualityScores {
  /** Mean of `columnShapes` and `columnPairTrends`. */
  score: number | null;
  /** Mean of the per-column scores. */
  columnShapes: number | null;
  /** Mean of the per-pair scores over all pairs. */
  columnPairTrends: number | null;
  /** Mean over the pairs that are strongly related in the real rows; null when none are. */
  columnPairTrendsImportant: number | null;
  /** How many pairs count as strongly related. */
  importantPairs: number;
  /** How many pairs have a score. */
  scoredPairs: number;
}

/** Scores of one trained model on the held-out real rows. */
export interface ModelScores {
  /** Rows the model was trained on (after dropping rows with a null target). */
  trainRows: number;
  /** Classification: share of held-out rows predicted right. */
  accuracy: number | null;
  /** Classification: F1 of the positive class (binary), or macro F1 (more classes). */
  f1: number | null;
  /** Classification with a positive class: area under the ROC curve. */
  auc: number | null;
  /** Regression: coefficient of determination. */
  r2: number | null;
}

/** Machine-learning efficacy: train on synthetic vs train on real, test on held-out real. */
export interface UsefulnessResult {
  target: string;
  task: 'classification' | 'regression';
  /** The class F1 and AUC are computed for; null for regression or multiclass. */
  positiveClass: string | null;
  /** Where the held-out rows come from, in words. */
  holdout: string;
  testRows: number;
  /** The model, in words (layers, epochs, optimizer). */
  model: string;
  /** Trained on the synthetic rows. */
  synthetic: ModelScores;
  /** Trained on the real training rows: the reference. */
  real: ModelScores;
}

/** Distance-to-closest-record figures of one set of query rows. */
export interface DistanceSummary {
  /** Query rows measured (a seeded sample, see `PrivacyResult.note`). */
  rows: number;
  median: number;
  percentile5: number;
  /** Share of query rows at distance 0 from some training row. */
  zeroShare: number;
}

/** How close synthetic rows come to real ones, next to held-out real rows as a baseline. */
export interface PrivacyResult {
  /** Share of synthetic rows equal to some real row on every non-id column. */
  exactMatchShare: number;
  /** Share of held-out rows equal to some training row: the share expected by chance. */
  holdoutExactMatchShare: number | null;
  /** Distance from each synthetic row to its nearest training row. */
  synthetic: DistanceSummary;
  /** The same for held-out real rows: synthetic rows should not be closer than these. */
  holdout: DistanceSummary | null;
  /** Rows the nearest neighbours were searched in. */
  referenceRows: number;
  /** The distance and sampling, in words. */
  note: string;
}

/** The overlaid distributions of one column, for the report's charts. */
export interface ColumnDistribution {
  column: string;
  type: ColumnType;
  /** Numeric: bin edges (bins + 1 values); datetime edges are milliseconds since 1970. */
  binEdges?: number[];
  /** Categorical: the labels shown (the most frequent in the real rows, then the rest). */
  labels?: string[];
  /** Share of real, and synthetic, rows per bin or label (null values are not shown). */
  real: number[];
  synthetic: number[];
}

/** Seconds each part took. */
export interface Timings {
  fidelity: number;
  usefulness: number | null;
  privacy: number | null;
}

/** Everything an evaluation found; serializes with JSON.stringify as it is. */
export interface EvaluationResult {
  /** Format of this object; bumped when a field changes meaning. */
  formatVersion: 1;
  rows: { real: number; synthetic: number; holdout: number | null };
  /** Columns left out of every metric (type id). */
  ignoredColumns: string[];
  seed: number;
  quality: QualityScores;
  /** Worst first. */
  columnShapes: ColumnShapeDetail[];
  /** Worst first. */
  columnPairs: PairTrendDetail[];
  /** null when there is no target or it was turned off; `usefulnessSkipped` says why. */
  usefulness: UsefulnessResult | null;
  usefulnessSkipped?: string;
  /** null when turned off. */
  privacy: PrivacyResult | null;
  distributions: ColumnDistribution[];
  timings: Timings;
}
