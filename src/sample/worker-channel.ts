// Starting the sampler's worker threads and passing errors between threads. A worker runs a
// TypeScript module: the process may have registered tsx through its API (bin/tabsynth.js)
// rather than a --import flag a worker would inherit, so each worker registers it itself.
import { Worker } from 'node:worker_threads';

import {
  BackendError,
  CheckpointError,
  ConfigError,
  InvalidDataError,
  InvalidMetadataError,
  UsageError,
} from '../util/errors.ts';

/** An error as it crosses a thread boundary (structured clone drops the class). */
export interface ErrorMessage {
  name: string;
  message: string;
  stack?: string;
}

/** The user error classes a worker may throw, by name, so the main thread can rethrow them. */
const USER_ERRORS: Record<string, new (message: string) => Error> = {
  UsageError,
  CheckpointError,
  BackendError,
  ConfigError,
  InvalidDataError,
  InvalidMetadataError,
};

/**
 * Starts a worker thread running a module of this package. A TypeScript module starts through
 * worker-entry.mjs, which registers tsx in the new thread first.
 * @param module the module's URL, e.g. new URL('./output-worker.ts', import.meta.url)
 * @param data what the module reads as `workerData.data` (structured clone)
 * @returns the worker
 */
export function startWorker(module: URL, data: unknown): Worker {
  const workerData = { module: module.href, data };
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData });
}

/** What a worker module started by startWorker receives as workerData. */
export interface WorkerStart<T> {
  /** The module's own URL. */
  module: string;
  data: T;
}

/** An error in a form that survives postMessage. */
export function toErrorMessage(error: unknown): ErrorMessage {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * The error a worker reported, as its class when it is a user error (exit code 2), else an
 * internal Error that names the worker.
 * @param message the worker's ErrorMessage
 * @param where e.g. 'the writer thread'
 */
export function fromErrorMessage(message: ErrorMessage, where: string): Error {
  const UserClass = USER_ERRORS[message.name];
  if (UserClass !== undefined) return new UserClass(message.message);
  const error = new Error(`${where} failed: ${message.message}`);
  if (message.stack !== undefined) error.stack = `${error.message}\n[${where}] ${message.stack}`;
  return error;
}
