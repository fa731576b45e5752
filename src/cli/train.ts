// `tabsynth train`: fit a model from a config file, or resume a run from its newest valid
// checkpoint.
import type { Argv } from 'yargs';
import type { PartialConfig } from '../config/load.ts';
import type { BackendName } from '../config/schema.ts';
import { UsageError } from '../util/errors.ts';
import { configureLogging, type LogFormat } from '../util/logger.ts';
import type { Command } from './command.ts';

export const trainCommand: Command = {
  command: 'train',
  describe: 'Train a model from a config file, or resume a stopped run',
  builder: (yargs: Argv) =>
    yargs
      .option('config', { type: 'string', describe: 'Run config (YAML or JSON)' })
      .option('resume', { type: 'string', describe: 'Run directory to continue from' })
      .option('data', { type: 'string', describe: 'Table to learn (overrides data.path)' })
      .option('metadata', { type: 'string', describe: 'Metadata JSON (overrides data.metadata)' })
      .option('out', { type: 'string', describe: 'Run directory (overrides output.dir)' })
      .option('epochs', {
        type: 'number',
        describe: 'Total epochs (overrides training.epochs; with --resume, the new total)',
      })
      .option('seed', { type: 'number', describe: 'Seed of every random stream' })
      .option('max-rows', {
        type: 'number',
        describe: 'Train on a seeded sample of this many rows',
      })
      .option('backend', {
        choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as const,
        describe: 'tfjs backend (overrides training.backend)',
      })
      .option('log-format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .example('$0 train --config configs/demo.yaml', 'train the bundled demo')
      .example('$0 train --resume models/demo --epochs 600', 'continue a run to 600 epochs'),
  handler: async (args) => {
    configureLogging({ format: args['log-format'] as LogFormat });
    const resume = args.resume as string | undefined;
    const config = args.config as string | undefined;
    if (resume !== undefined) {
      for (const flag of ['metadata', 'out', 'seed', 'max-rows']) {
        if (args[flag] !== undefined) {
          throw new UsageError(
            `--${flag} cannot change on --resume: the run continues with what it was started ` +
              'with. Allowed with --resume: --epochs, --backend, --data (the same table moved), ' +
              '--log-format, and a --config whose changeable keys apply.',
          );
        }
      }
    }
    if (resume === undefined && config === undefined && args.data === undefined) {
      throw new UsageError(
        'Nothing to train: give --config FILE (or --data FILE), or --resume RUN_DIR. ' +
          'Example: tabsynth train --config configs/demo.yaml',
      );
    }
    const { runTraining } = await import('../run/train-run.ts');
    return runTraining({
      configFile: config,
      resumeDir: resume,
      overrides: flagOverrides(args),
      logFormat: args['log-format'] as LogFormat,
    });
  },
};

// Flags that override config keys, as a partial config (only the flags given).
function flagOverrides(args: Record<string, unknown>): PartialConfig {
  const overrides: PartialConfig = {};
  const data: Record<string, unknown> = {};
  const training: Record<string, unknown> = {};
  if (args.data !== undefined) data.path = args.data;
  if (args.metadata !== undefined) data.metadata = args.metadata;
  if (args['max-rows'] !== undefined) data.maxRows = args['max-rows'];
  if (args.epochs !== undefined) training.epochs = args.epochs;
  if (args.seed !== undefined) training.seed = args.seed;
  if (args.backend !== undefined) training.backend = args.backend as BackendName;
  if (Object.keys(data).length > 0) overrides.data = data;
  if (Object.keys(training).length > 0) overrides.training = training;
  if (args.out !== undefined) overrides.output = { dir: args.out as string };
  return overrides;
}
