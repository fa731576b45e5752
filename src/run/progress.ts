// The training progress line: one fixed-width line per interval, so columns line up in a
// terminal and in a log file.

/** What one progress line reports. */
export interface ProgressFields {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  generatorLoss: number;
  discriminatorLoss: number;
  gradientPenalty: number;
  msPerStep: number;
  rowsPerSecond: number;
  /** Seconds left at the current speed. */
  etaSeconds: number;
}

/**
 * Formats one line, e.g. (wrapped here)
 * `epoch   3/300  step   12/65  G   1.2345  D  -0.4321  GP  0.0123    98.1 ms/step`
 * `  5096 rows/s  ETA 31m04s`
 */
export function formatProgressLine(fields: ProgressFields): string {
  const epochWidth = String(fields.epochs).length;
  const stepWidth = String(fields.stepsPerEpoch).length;
  return [
    `epoch ${String(fields.epoch).padStart(epochWidth)}/${fields.epochs}`,
    `step ${String(fields.step).padStart(stepWidth)}/${fields.stepsPerEpoch}`,
    `G ${signed(fields.generatorLoss)}`,
    `D ${signed(fields.discriminatorLoss)}`,
    `GP ${fields.gradientPenalty.toFixed(4).padStart(7)}`,
    `${fields.msPerStep.toFixed(1).padStart(6)} ms/step`,
    `${Math.round(fields.rowsPerSecond).toString().padStart(6)} rows/s`,
    `ETA ${formatDuration(fields.etaSeconds)}`,
  ].join('  ');
}

/** A duration as `1h02m`, `31m04s` or `9s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(secs).padStart(2, '0')}s`;
  return `${secs}s`;
}

function signed(value: number): string {
  return value.toFixed(4).padStart(9);
}
