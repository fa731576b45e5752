// `tabsynth inspect`: what a trained model holds and how it was trained.
import type { Argv } from 'yargs';
import type { Command } from './command.ts';

export const inspectCommand: Command = {
  command: 'inspect',
  describe: 'Show what a model holds and how it was trained',
  builder: (yargs: Argv) =>
    yargs
      .option('model', { type: 'string', demandOption: true, describe: 'Run directory or bundle' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object' }),
  handler: async (args) => {
    const { inspectModel } = await import('../run/inspect-model.ts');
    await inspectModel({ model: args.model as string, json: args.json as boolean });
    return 0;
  },
};
