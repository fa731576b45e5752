// Graceful stop on SIGINT and SIGTERM: the first signal asks the current work to finish its
// step and save; a second one ends the process at once.
import { getLogger } from '../util/logger.ts';

const log = getLogger('signals');

/** Exit codes of the contract for a stop by signal. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Which signal asked to stop, if any. */
export type StopSignalName = keyof typeof SIGNAL_EXIT_CODES;

/** Listens for SIGINT/SIGTERM while installed; `requested` tells the loop to stop. */
export class StopRequest {
  requested: StopSignalName | null = null;
  private readonly handlers = new Map<StopSignalName, () => void>();

  /**
   * Starts listening.
   * @param what says what will happen on the first signal, e.g.
   *   'finishing the current step and writing a checkpoint'
   */
  install(what: string): this {
    for (const name of Object.keys(SIGNAL_EXIT_CODES) as StopSignalName[]) {
      const handler = (): void => {
        if (this.requested !== null) {
          log.warn(`second ${name}: stopping at once, without saving`);
          process.exit(SIGNAL_EXIT_CODES[name]);
        }
        this.requested = name;
        log.warn(`${name} received: ${what} (send it again to stop at once)`);
      };
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
    return this;
  }

  /** Stops listening; the default behaviour of both signals returns. */
  uninstall(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.clear();
  }

  /** Exit code for the signal received (0 when none). */
  get exitCode(): number {
    return this.requested === null ? 0 : SIGNAL_EXIT_CODES[this.requested];
  }
}
