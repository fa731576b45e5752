// Runs the real `tabsynth` command in a child process, for end-to-end tests of exit codes,
// messages and files.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO_ROOT, 'bin/tabsynth.js');

/** What a CLI run produced. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tabsynth ...args` and waits for it to end.
 * @param options.env extra environment variables
 * @param options.onSpawn receives the child's pid, e.g. to send it signals
 * @param options.onStderr sees stderr as it grows, e.g. to wait for a log line
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    onSpawn?: (pid: number) => void;
    /** Called with all of stderr so far, after each chunk. */
    onStderr?: (stderrSoFar: string) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, TABSYNTH_LOG_LEVEL: 'info', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    child.on('error', reject);
    if (options.onSpawn && child.pid !== undefined) options.onSpawn(child.pid);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The `tabsynth: error: ...` lines of stderr (log lines excluded). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('tabsynth: '));
}

/** True when stderr shows a JavaScript stack trace. */
export function hasStackTrace(stderr: string): boolean {
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(stderr);
}
