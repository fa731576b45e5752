// How the CLI ends on an error: one message on stderr and the exit code of the contract
// (2 for a user error, 1 for an internal one). Stack traces only with TABSYNTH_DEBUG=1.
import { isUserError } from '../util/errors.ts';

/** Exit code for an error thrown by a command. */
export function exitCodeFor(error: unknown): number {
  return isUserError(error) ? error.exitCode : 1;
}

/** Writes the one-message report of `error` to stderr. */
export function reportError(error: unknown): void {
  const debug = process.env.TABSYNTH_DEBUG === '1';
  if (isUserError(error)) {
    process.stderr.write(`tabsynth: error: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `tabsynth: internal error: ${message}\n` +
      (debug && error instanceof Error && error.stack
        ? `${error.stack}\n`
        : 'Run again with TABSYNTH_DEBUG=1 for the stack trace, and report it as a bug.\n'),
  );
}
