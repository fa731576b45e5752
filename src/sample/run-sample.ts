// `tabsynth sample` behind the CLI: runs sampleToFile with signal handling, a progress bar on
// a terminal, and one summary line, and resolves to the exit code of the contract.
import { releaseBackend } from '../backend/init.ts';
import { getLogger } from '../util/logger.ts';
import { StopRequest } from '../run/signals.ts';
import { formatRate } from './output-core.ts';
import { sampleToFile, type SampleRequest, type SampleSummary } from './sampler.ts';

const log = getLogger('sample');

/**
 * The options of `tabsynth sample`, as src/cli/sample.ts passes them: a SampleRequest less the
 * --where give-up limit, which the command line leaves at its default.
 */
export type RunSamplingOptions = Omit<SampleRequest, 'acceptance'>;

/**
 * Samples a model into a file and resolves to the exit code: 0 when the file is complete,
 * 130/143 when SIGINT/SIGTERM stopped the run (the unfinished file removed, an older file at
 * the path left as it was).
 * @throws UserError subclasses (exit 2) for a missing or damaged model, bad --where clauses,
 *   an unwritable output or --where combinations too rare to finish
 */
export async function runSampling(options: RunSamplingOptions): Promise<number> {
  const stop = new StopRequest().install('stopping sampling and removing the unfinished file');
  try {
    const summary = await sampleToFile(options, {
      shouldStop: () => stop.requested !== null,
      terminal: process.stderr.isTTY ? process.stderr : null,
    });
    if (summary === null) {
      log.warn(`sampling stopped by ${stop.requested}: ${options.out} was not written`);
      return stop.exitCode;
    }
    logSummary(summary);
    return 0;
  } finally {
    stop.uninstall();
    releaseBackend();
  }
}

/** The final line, with its numbers as fields for --log-format json. */
function logSummary(summary: SampleSummary): void {
  const megabytes = summary.bytes / 1_048_576;
  const acceptance =
    summary.acceptanceRate === null
      ? ''
      : `, ${formatRate(summary.acceptanceRate)} of ${summary.candidates} candidates accepted`;
  log.info(
    `sampled ${summary.rows} rows in ${summary.seconds.toFixed(1)} s ` +
      `(${Math.round(summary.rowsPerSecond)} rows/s) to ${summary.file}, ` +
      `${megabytes.toFixed(1)} MiB${acceptance}`,
    {
      event: 'sample_end',
      rows: summary.rows,
      seconds: Number(summary.seconds.toFixed(3)),
      rowsPerSecond: Math.round(summary.rowsPerSecond),
      bytes: summary.bytes,
      file: summary.file,
      candidates: summary.candidates,
      acceptanceRate: summary.acceptanceRate,
      batchSize: summary.batchSize,
      stageSeconds: roundStages(summary.stages),
    },
  );
}

function roundStages(stages: SampleSummary['stages']): SampleSummary['stages'] {
  const round = (value: number): number => Number(value.toFixed(3));
  return {
    draw: round(stages.draw),
    network: round(stages.network),
    activate: round(stages.activate),
    decode: round(stages.decode),
    write: round(stages.write),
  };
}
