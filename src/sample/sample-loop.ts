// The sampling loop: asks the generation engine for consecutive ranges of candidates, keeping
// a few in flight, and hands each to the output end in order, until the output has its rows
// (or, without --where, the candidates run out), or a stop is requested.
import type { GenerationEngine } from './generation-engine.ts';
import type { OutputStage } from './output-stage.ts';
import type { ActivatedRows } from './row-activation.ts';

/** Options of runLoop. */
export interface LoopOptions {
  /** Index of the first candidate in the stream. */
  firstCandidate: number;
  /** Candidates to generate, or null for as many as the output needs (--where). */
  candidates: number | null;
  /** Rows per generator call. */
  batchSize: number;
  /** Asked between batches; true stops the loop. */
  shouldStop: () => boolean;
  /** Called after each piece reaches the output end. */
  onProgress: () => void;
}

/** A range of candidates on its way. */
type Piece = Promise<ActivatedRows>;

/**
 * Runs the loop. Memory stays bounded: at most parallelism + 1 ranges are generated ahead of
 * the output end, which itself holds at most two.
 * @returns 'done' or 'stopped'
 * @throws whatever the engine or the output end throws (the caller aborts the output)
 */
export async function runLoop(
  engine: GenerationEngine,
  output: OutputStage,
  options: LoopOptions,
): Promise<'done' | 'stopped'> {
  const depth = engine.parallelism + 1;
  const end =
    options.candidates === null
      ? Number.POSITIVE_INFINITY
      : options.firstCandidate + options.candidates;
  const inFlight: Piece[] = [];
  let next = options.firstCandidate;
  try {
    for (;;) {
      while (!output.done && inFlight.length < depth && next < end) {
        const count = Math.min(options.batchSize, end - next);
        inFlight.push(engine.run(next, count));
        next += count;
      }
      const piece = inFlight.shift();
      if (piece === undefined) return 'done';
      await output.consume(await piece);
      options.onProgress();
      // A turn of the event loop, so that a signal handler can run between batches.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.shouldStop()) return 'stopped';
    }
  } finally {
    // Results nobody will wait for must not end as unhandled rejections.
    for (const piece of inFlight) piece.catch(() => undefined);
  }
}
