// Sampling progress for people: on a terminal, a one-line bar redrawn in place (rows, rows/s,
// ETA); elsewhere (a log file, a pipe), one log line every few seconds with the same numbers as
// fields. An own small bar rather than a library: one line, no colours, no multi-bars, and it
// must step aside for the final summary line.
import { formatDuration } from '../run/progress.ts';
import type { Logger } from '../util/logger.ts';

/** Options of SampleProgress. */
export interface ProgressOptions {
  /** Rows the run writes. */
  total: number;
  /** The terminal to draw on, or null to log instead. */
  terminal: NodeJS.WriteStream | null;
  log: Logger;
  /** Seconds between log lines (when not drawing). Default 5. */
  logEverySeconds?: number;
}

/** Bar width in characters. */
const BAR_WIDTH = 24;
/** The bar is redrawn at most this often. */
const REDRAW_MS = 200;

/** Reports progress; see the file header. */
export class SampleProgress {
  private readonly started = performance.now();
  /** When the last line was shown; the first log line comes one interval after the start. */
  private lastShown: number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.lastShown = options.terminal ? Number.NEGATIVE_INFINITY : this.started;
  }

  /**
   * Reports the rows written so far (shown only when the interval has passed).
   * @param written rows written
   * @param candidates rows generated (differs from written with --where)
   */
  update(written: number, candidates: number): void {
    const now = performance.now();
    const interval = this.options.terminal ? REDRAW_MS : (this.options.logEverySeconds ?? 5) * 1000;
    if (now - this.lastShown < interval) return;
    // In a log, the summary line follows the last piece; a 100 % line would repeat it.
    if (this.options.terminal === null && written >= this.options.total) return;
    this.lastShown = now;
    const seconds = (now - this.started) / 1000;
    const rate = written / Math.max(seconds, 1e-9);
    const eta = rate > 0 ? (this.options.total - written) / rate : Number.POSITIVE_INFINITY;
    const share = this.options.total > 0 ? written / this.options.total : 1;
    const line =
      `${(share * 100).toFixed(1).padStart(5)} %  ${written.toLocaleString('en-US')}/` +
      `${this.options.total.toLocaleString('en-US')} rows  ` +
      `${Math.round(rate).toLocaleString('en-US')} rows/s  ETA ${formatDuration(eta)}` +
      (candidates !== written ? `  accepted ${formatShare(written, candidates)}` : '');
    const terminal = this.options.terminal;
    if (terminal !== null) {
      const filled = Math.round(share * BAR_WIDTH);
      const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
      terminal.write(`\r[${bar}] ${line}\x1b[K`);
      this.drawn = true;
      return;
    }
    this.options.log.info(`sampling ${line}`, {
      event: 'sample_progress',
      rows: written,
      total: this.options.total,
      candidates,
      rowsPerSecond: Math.round(rate),
      etaSeconds: Number.isFinite(eta) ? Math.round(eta) : null,
    });
  }

  /** Clears the bar, so that the next line starts at the left margin. */
  finish(): void {
    if (this.drawn) this.options.terminal?.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** written / candidates as a percentage, e.g. '12.5 %'. */
function formatShare(written: number, candidates: number): string {
  return `${Number(((100 * written) / Math.max(candidates, 1)).toPrecision(3))} %`;
}
