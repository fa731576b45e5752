// `tabsynth inspect-data`: what a user checks before a long run: rows, the given or
// inferred metadata, a summary per column and the modes found in each numeric column.
import type { Argv } from 'yargs';
import type { Command } from './command.ts';

export const inspectDataCommand: Command = {
  command: 'inspect-data',
  describe: 'Show rows, metadata, column summaries and numeric modes of a table',
  builder: (yargs: Argv) =>
    yargs
      .option('data', { type: 'string', demandOption: true, describe: 'Table file' })
      .option('metadata', { type: 'string', describe: 'Metadata JSON (default: inferred)' })
      .option('max-rows', { type: 'number', describe: 'Inspect a seeded sample of this many rows' })
      .option('save-metadata', {
        type: 'string',
        describe: 'Write the (inferred) metadata to this JSON file to edit and reuse',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object' })
      .example('$0 inspect-data --data table.csv --save-metadata table.json', ''),
  handler: async (args) => {
    const { inspectData } = await import('../run/inspect-data.ts');
    await inspectData({
      data: args.data as string,
      metadata: args.metadata as string | undefined,
      maxRows: args['max-rows'] as number | undefined,
      saveMetadata: args['save-metadata'] as string | undefined,
      json: args.json as boolean,
    });
    return 0;
  },
};
