// `tabsynth evaluate`: score synthetic rows against the real table (fidelity, usefulness,
// privacy), print the figures and optionally write an HTML report.
import type { Argv } from 'yargs';
import type { Command } from './command.ts';

export const evaluateCommand: Command = {
  command: 'evaluate',
  describe: 'Score synthetic data against real data; optionally write an HTML report',
  builder: (yargs: Argv) =>
    yargs
      .option('real', { type: 'string', demandOption: true, describe: 'Real (training) table' })
      .option('synthetic', { type: 'string', demandOption: true, describe: 'Synthetic table' })
      .option('holdout', {
        type: 'string',
        describe: 'Real rows the model never saw (default: a seeded 20% of --real)',
      })
      .option('metadata', { type: 'string', describe: 'Metadata JSON (default: inferred)' })
      .option('target', { type: 'string', describe: 'Column to predict for usefulness' })
      .option('positive-class', { type: 'string', describe: 'Positive class of --target' })
      .option('model', { type: 'string', describe: 'Run directory, for the loss curve' })
      .option('report', { type: 'string', describe: 'Write a self-contained HTML report here' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object' })
      .option('seed', {
        type: 'number',
        default: 0,
        describe: 'Seed of the usefulness models and of the default holdout split',
      })
      .example(
        '$0 evaluate --real adult_train.csv --holdout adult_test.csv --synthetic syn.parquet ' +
          '--target income --report report.html',
        '',
      ),
  handler: async (args) => {
    const { runEvaluation } = await import('../run/evaluate-run.ts');
    await runEvaluation({
      real: args.real as string,
      synthetic: args.synthetic as string,
      holdout: args.holdout as string | undefined,
      metadata: args.metadata as string | undefined,
      target: args.target as string | undefined,
      positiveClass: args['positive-class'] as string | undefined,
      model: args.model as string | undefined,
      report: args.report as string | undefined,
      json: args.json as boolean,
      seed: args.seed as number,
    });
    return 0;
  },
};
