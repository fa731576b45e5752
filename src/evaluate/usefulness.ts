// Machine-learning efficacy: the same model is trained once on synthetic rows and once on
// real training rows, and both are scored on held-out real rows. Close scores mean the
// synthetic rows carry what a model needs to learn the target.
import type { EncodedColumn } from './columns.ts';
import { FeatureEncoder } from './features.ts';
import { DEFAULT_MLP_OPTIONS, Mlp, type MlpOptions, type MlpTask } from './mlp.ts';
import { accuracy, f1Score, macroF1, rocAuc, rSquared } from './prediction-metrics.ts';
import type { ModelScores, UsefulnessResult } from './result.ts';
import { ensureBackend } from './backend.ts';
import { UsageError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';

/** Some rows of one encoded table. */
export interface RowSet {
  values: (Float64Array | Int32Array)[];
  rows: Int32Array;
}

/** What the usefulness check needs. */
export interface UsefulnessInput {
  columns: EncodedColumn[];
  realTrain: RowSet;
  synthetic: RowSet;
  test: RowSet;
  /** Where the test rows come from, in words. */
  holdout: string;
  target: string;
  /** Default: for two classes, the rarer one in the real training rows. */
  positiveClass?: string;
  seed: number;
  /** Each model trains on a seeded sample of at most this many rows. Default 50,000. */
  maxTrainRows?: number;
  /** Network settings. Default DEFAULT_MLP_OPTIONS. */
  model?: Partial<Omit<MlpOptions, 'seed'>>;
}

/** Default cap on the rows each usefulness model trains on. */
export const MAX_TRAIN_ROWS = 50_000;

/**
 * Trains a network on the synthetic rows and one on the real training rows, and scores both.
 * @returns both models' scores on the test rows
 * @throws UsageError when the target is not an evaluated column or the positive class is
 *   not one of its values
 */
export async function usefulness(input: UsefulnessInput): Promise<UsefulnessResult> {
  const backend = await ensureBackend();
  const targetIndex = input.columns.findIndex((column) => column.name === input.target);
  if (targetIndex < 0) {
    const names = input.columns.map((column) => column.name).join(', ');
    throw new UsageError(
      `The target "${input.target}" is not a column that can be predicted (id columns cannot); ` +
        `choose one of: ${names}.`,
    );
  }
  const column = input.columns[targetIndex]!;
  const task: MlpTask = column.kind === 'numeric' ? 'regression' : 'classification';
  const options: MlpOptions = { ...DEFAULT_MLP_OPTIONS, ...input.model, seed: input.seed };
  const classes = task === 'classification' ? classCodes(column) : [];
  const positive = task === 'classification' ? positiveCode(column, classes, input) : null;

  const test = withTarget(input.test, column, targetIndex);
  const trainSets = [input.synthetic, input.realTrain].map((set, which) =>
    capRows(
      withTarget(set, column, targetIndex),
      input.maxTrainRows ?? MAX_TRAIN_ROWS,
      input.seed + which,
    ),
  );
  const [synthetic, real] = trainSets.map((train) => {
    const context = { columns: input.columns, targetIndex, classes, positive, options };
    return task === 'classification'
      ? trainAndScoreClassifier(train, test, context)
      : trainAndScoreRegressor(train, test, context);
  });

  const layers = options.hiddenUnits.join('-');
  return {
    target: input.target,
    task,
    positiveClass: positive === null ? null : column.labels[positive]!,
    holdout: input.holdout,
    testRows: test.rows.length,
    model:
      `MLP on tfjs ${backend} (hidden ${layers}, ReLU, ${options.epochs} epochs, batch ` +
      `${options.batchSize}, Adam lr ${options.learningRate}, L2 ${options.weightDecay})`,
    synthetic: synthetic!,
    real: real!,
  };
}

/** What the per-model functions share. */
interface ModelContext {
  columns: EncodedColumn[];
  targetIndex: number;
  /** Codes of the target's classes, in output order. */
  classes: number[];
  positive: number | null;
  options: MlpOptions;
}

function trainAndScoreClassifier(train: RowSet, test: RowSet, context: ModelContext): ModelScores {
  const scores: ModelScores = { trainRows: train.rows.length, ...NO_SCORES };
  if (train.rows.length < 2 || test.rows.length === 0) return scores;

  const { classes, positive } = context;
  const outputOf = new Map(classes.map((code, output) => [code, output]));
  const targetCodes = (set: RowSet): Int32Array =>
    set.rows.map((row) => (set.values[context.targetIndex] as Int32Array)[row]!);
  const trainTargets = targetCodes(train);
  const oneHot = new Float32Array(train.rows.length * classes.length);
  trainTargets.forEach((code, i) => (oneHot[i * classes.length + outputOf.get(code)!] = 1));

  const encoder = FeatureEncoder.fit(context.columns, train.values, train.rows, exclude(context));
  const network = Mlp.train(
    encoder.transform(train.values, train.rows),
    { data: oneHot, rows: train.rows.length, cols: classes.length },
    'classification',
    context.options,
  );
  const probabilities = network.predict(encoder.transform(test.values, test.rows)); // [rows, k]
  network.dispose();

  // The predicted class is the most probable one.
  const truth = targetCodes(test);
  const predicted = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    let best = 0;
    for (let k = 1; k < classes.length; k++) {
      if (probabilities[i * classes.length + k]! > probabilities[i * classes.length + best]!) {
        best = k;
      }
    }
    predicted[i] = classes[best]!;
  }
  scores.accuracy = finiteOrNull(accuracy(truth, predicted));
  if (positive === null) {
    scores.f1 = finiteOrNull(macroF1(truth, predicted));
    return scores;
  }
  const positiveOutput = outputOf.get(positive)!;
  const positiveScores = new Float32Array(truth.length).map(
    (_, i) => probabilities[i * classes.length + positiveOutput]!,
  );
  const isPositive = Uint8Array.from(truth, (code) => (code === positive ? 1 : 0));
  scores.f1 = finiteOrNull(f1Score(truth, predicted, positive));
  scores.auc = finiteOrNull(rocAuc(isPositive, positiveScores));
  return scores;
}

function trainAndScoreRegressor(train: RowSet, test: RowSet, context: ModelContext): ModelScores {
  const scores: ModelScores = { trainRows: train.rows.length, ...NO_SCORES };
  if (train.rows.length < 2 || test.rows.length === 0) return scores;

  // The network learns the standardized target; predictions are scaled back.
  const targetOf = (set: RowSet): Float64Array =>
    Float64Array.from(set.rows, (row) => (set.values[context.targetIndex] as Float64Array)[row]!);
  const trainTargets = targetOf(train);
  const mean = trainTargets.reduce((total, value) => total + value, 0) / trainTargets.length;
  const variance =
    trainTargets.reduce((total, value) => total + (value - mean) ** 2, 0) / trainTargets.length;
  const scale = variance > 0 ? Math.sqrt(variance) : 1;
  const standardized = Float32Array.from(trainTargets, (value) => (value - mean) / scale);

  const encoder = FeatureEncoder.fit(context.columns, train.values, train.rows, exclude(context));
  const network = Mlp.train(
    encoder.transform(train.values, train.rows),
    { data: standardized, rows: train.rows.length, cols: 1 },
    'regression',
    context.options,
  );
  const outputs = network.predict(encoder.transform(test.values, test.rows)); // [rows, 1]
  network.dispose();
  const predicted = Float64Array.from(outputs, (value) => value * scale + mean);
  scores.r2 = finiteOrNull(rSquared(targetOf(test), predicted));
  return scores;
}

const NO_SCORES = { accuracy: null, f1: null, auc: null, r2: null };

function exclude(context: ModelContext): Set<number> {
  return new Set([context.targetIndex]);
}

// The target's non-null codes, in code order.
function classCodes(column: { labels: (string | null)[] }): number[] {
  return column.labels.flatMap((label, code) => (label === null ? [] : [code]));
}

// The positive class: as given; else for two classes the rarer in the real training rows;
// else none (F1 becomes macro F1 and AUC is not computed).
function positiveCode(
  column: EncodedColumn,
  classes: number[],
  input: UsefulnessInput,
): number | null {
  if (input.positiveClass !== undefined) {
    const code = column.labels.indexOf(input.positiveClass);
    if (code < 0) {
      const values = classes.map((value) => JSON.stringify(column.labels[value])).join(', ');
      throw new UsageError(
        `The positive class ${JSON.stringify(input.positiveClass)} is not a value of the ` +
          `target "${column.name}"; its values are: ${values}. Spell it exactly as in the data.`,
      );
    }
    return code;
  }
  if (classes.length !== 2) return null;
  const codes = input.realTrain.values[input.columns.indexOf(column)] as Int32Array;
  let first = 0;
  let second = 0;
  for (const row of input.realTrain.rows) {
    if (codes[row] === classes[0]) first++;
    else if (codes[row] === classes[1]) second++;
  }
  return second <= first ? classes[1]! : classes[0]!;
}

// The rows whose target is present.
function withTarget(set: RowSet, column: EncodedColumn, targetIndex: number): RowSet {
  const target = set.values[targetIndex]!;
  const nullCode = column.labels.indexOf(null);
  const present =
    column.kind === 'numeric'
      ? set.rows.filter((row) => !Number.isNaN(target[row]!))
      : set.rows.filter((row) => target[row] !== nullCode);
  return { values: set.values, rows: present };
}

function capRows(set: RowSet, limit: number, seed: number): RowSet {
  if (set.rows.length <= limit) return set;
  const rows = Array.from(set.rows);
  new Rng(seed).shuffle(rows);
  return { values: set.values, rows: Int32Array.from(rows.slice(0, limit)).sort() };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
