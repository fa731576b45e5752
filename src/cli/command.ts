// The shape of one CLI command: yargs builder and an async handler, one file per command.
import type { Argv } from 'yargs';

/** One `tabsynth` subcommand. */
export interface Command {
  /** yargs command string, e.g. 'train'. */
  command: string;
  describe: string;
  builder: (yargs: Argv) => Argv;
  /** Runs the command; resolves to the exit code (0 unless interrupted). */
  handler: (args: Record<string, unknown>) => Promise<number>;
}
