// The `tabsynth` entry point: parse the command line, run one command, report an error as
// one message, and set the exit code of the contract (0, 1, 2, 130/143).
import yargs from 'yargs';
import { UsageError } from '../util/errors.ts';
import { TABSYNTH_VERSION } from '../util/version.ts';
import type { Command } from './command.ts';
import { evaluateCommand } from './evaluate.ts';
import { inspectCommand } from './inspect.ts';
import { inspectDataCommand } from './inspect-data.ts';
import { exitCodeFor, reportError } from './report-error.ts';
import { sampleCommand } from './sample.ts';
import { trainCommand } from './train.ts';

const COMMANDS: Command[] = [
  trainCommand,
  sampleCommand,
  evaluateCommand,
  inspectCommand,
  inspectDataCommand,
];

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the process exit code.
 * Never throws: errors are reported on stderr.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('tabsynth')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'Name a command: train, sample, evaluate, inspect or inspect-data.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(TABSYNTH_VERSION)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      // yargs calls this for its own validation messages and for errors our handlers throw.
      if (error) throw error;
      // Its messages of several lines ("Invalid values:\n  Argument: ...") become one.
      const oneLine = message.replace(/:?\n\s*/g, (joint) => (joint.startsWith(':') ? ': ' : '; '));
      const text = oneLine.startsWith('Did you mean')
        ? `Unknown command '${argv[0]}'. ${oneLine}`
        : oneLine;
      throw new UsageError(`${text}\nRun 'tabsynth --help' for usage.`);
    });
  for (const command of COMMANDS) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (args) => {
        exitCode = await command.handler(args as Record<string, unknown>);
      },
    });
  }
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    reportError(error);
    return exitCodeFor(error);
  }
}
