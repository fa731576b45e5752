// The evaluation API the CLI uses: score synthetic rows against real ones, write the report.
export { evaluate, splitRows, type EvaluateInput, type EvaluateOptions } from './evaluate.ts';
export { writeReport, type ReportExtras } from './report.ts';
export type { LossPoint } from './report-charts.ts';
export type * from './result.ts';
