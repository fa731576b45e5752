// Chooses and starts the tfjs backend: the native TensorFlow one when installed, else wasm, else
// the pure-JS cpu one. Also installs what every backend needs from us: the gradient registry and,
// on wasm, the fast transposed matrix products, copy kernels and (optionally) threads; on cpu,
// fast Slice and SplitV kernels.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

import type { BackendName } from '../config/schema.ts';
import { BackendError } from '../util/errors.ts';
import { getLogger, type Logger } from '../util/logger.ts';
import { fixCpuCopyKernels } from './cpu-copy-kernels.ts';
import { registerGradients } from './gradients/index.ts';
import { TENSORFLOW_PACKAGES, tryTensorflow } from './tensorflow.ts';
import { fixWasmCopyKernels } from './wasm-copy-kernels.ts';
import { fixWasmTransposedProducts } from './wasm-matmul-fix.ts';
import { registerThreadedWasm, terminateWasmThreads } from './wasm-threads.ts';

/** A backend that `auto` tried and did not use, and why. */
export interface SkippedBackend {
  name: string;
  reason: string;
}

/** The backend that runs, where its kernels execute, and what was skipped on the way. */
export interface BackendInfo {
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** e.g. 'GPU (CUDA)', 'CPU (TensorFlow)', 'CPU (wasm, SIMD, 1 thread)', 'CPU (JavaScript)'. */
  device: string;
  skipped: SkippedBackend[];
}

/** Options of `initBackend`. */
export interface BackendOptions {
  /**
   * Threads of the wasm backend. 1 runs tfjs's single-threaded build; 2 or more the
   * threaded-SIMD build through ./wasm-threads.ts. Default: $TABSYNTH_WASM_THREADS, else 1.
   */
  wasmThreads?: number;
  /**
   * When wasm runs one thread by default on a machine of several cores, log a line naming
   * TABSYNTH_WASM_THREADS (training, where threads pay; sampling has its own workers).
   */
  hintThreads?: boolean;
}

/** How to get the tensorflow backend; its tfjs version must match our @tensorflow/tfjs-core. */
const INSTALL_HINT =
  `install it with \`npm install @tensorflow/tfjs-node-gpu@${tf.version_core}\` (CUDA GPU, ` +
  `falls back to CPU) or \`npm install @tensorflow/tfjs-node@${tf.version_core}\` (CPU), or ` +
  'choose --backend wasm';

let threadedWasmRegistered = false;

/**
 * Starts a tfjs backend and makes it the active one. `auto` tries tensorflow (tfjs-node-gpu,
 * then tfjs-node), then wasm, then cpu; a named backend must start or this throws. Logs the
 * backend and device once, and one warning line per skipped backend.
 * @param name 'auto' | 'tensorflow' | 'wasm' | 'cpu'
 * @param log logger to report on; default: the 'backend' module logger
 * @param options see BackendOptions
 * @returns what runs and what was skipped
 * @throws BackendError when a named backend cannot start (exit code 2), naming what to install
 */
export async function initBackend(
  name: BackendName,
  log: Logger = getLogger('backend'),
  options: BackendOptions = {},
): Promise<BackendInfo> {
  const chosenThreads = options.wasmThreads ?? threadsFromEnvironment();
  const wasmThreads = chosenThreads ?? 1;
  const skipped: SkippedBackend[] = [];
  let info: BackendInfo | null = null;

  if (name === 'auto' || name === 'tensorflow') {
    info = await startTensorflow(skipped);
    if (info === null && name === 'tensorflow') {
      const reasons = skipped.map((entry) => `${entry.name}: ${entry.reason}`).join('; ');
      throw new BackendError(`backend 'tensorflow' is not available (${reasons}); ${INSTALL_HINT}`);
    }
  }
  if (info === null && (name === 'auto' || name === 'wasm')) {
    info = await startWasm(wasmThreads, skipped);
    if (info === null && name === 'wasm') {
      const reason = skipped[skipped.length - 1]?.reason ?? 'unknown reason';
      throw new BackendError(
        `backend 'wasm' cannot start (${reason}); reinstall @tensorflow/tfjs-backend-wasm or ` +
          'choose --backend cpu',
      );
    }
  }
  if (info === null) info = await startCpu(skipped);

  registerGradients();
  log.info(`tfjs backend ${info.name} on ${info.device}`, {
    backend: info.name,
    device: info.device,
  });
  for (const entry of info.skipped) log.warn(`skipped backend ${entry.name}: ${entry.reason}`);
  const hint = options.hintThreads === true && info.name === 'wasm' && chosenThreads === null;
  const cores = hint ? os.availableParallelism() : 1;
  if (cores > 1) {
    // Two threads is what was measured (docs/training.md); more may help on more cores.
    log.info(
      `wasm runs 1 thread of ${cores} cores: TABSYNTH_WASM_THREADS=2 runs two, ~20% faster ` +
        'a training step while both cores have nothing else to do (docs/training.md)',
    );
  }
  return info;
}

/**
 * Ends what a backend runs outside the main thread: the pthreads of the threaded wasm build,
 * which otherwise keep Node's event loop, and so the process, alive. Call before exiting when
 * TABSYNTH_WASM_THREADS > 1; harmless otherwise. No tensor can be computed afterwards.
 */
export function releaseBackend(): void {
  terminateWasmThreads();
}

/** Tries the tfjs-node packages in order; null when none loads. */
async function startTensorflow(skipped: SkippedBackend[]): Promise<BackendInfo | null> {
  if (tf.getBackend() === 'tensorflow') {
    const flags = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
    const device = flags.isUsingGpuDevice === true ? 'GPU (CUDA)' : 'CPU (TensorFlow)';
    return { name: 'tensorflow', device, skipped };
  }
  for (const packageName of TENSORFLOW_PACKAGES) {
    const attempt = await tryTensorflow(packageName);
    if (attempt.loaded) return { name: 'tensorflow', device: attempt.device, skipped };
    skipped.push({ name: packageName, reason: attempt.reason });
  }
  return null;
}

/** Starts wasm with the wanted threads; null (and a skipped entry) when it fails. */
async function startWasm(threads: number, skipped: SkippedBackend[]): Promise<BackendInfo | null> {
  if (threads > 1 && !threadedWasmRegistered) {
    registerThreadedWasm(threads);
    threadedWasmRegistered = true;
  }
  fixWasmTransposedProducts();
  fixWasmCopyKernels();
  if (!(await tf.setBackend('wasm'))) {
    skipped.push({
      name: 'wasm',
      reason: 'the wasm module failed to initialize (see tfjs warning)',
    });
    return null;
  }
  // The pool's pthreads start only once the main thread returns to the event loop.
  await new Promise((resolve) => setImmediate(resolve));

  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const count = getThreadsCount();
  const device = `CPU (wasm${simd ? ', SIMD' : ''}, ${count} thread${count === 1 ? '' : 's'})`;
  return { name: 'wasm', device, skipped };
}

/** Starts the pure-JavaScript backend, which always works. */
async function startCpu(skipped: SkippedBackend[]): Promise<BackendInfo> {
  fixCpuCopyKernels();
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendError("backend 'cpu' failed to start; reinstall @tensorflow/tfjs-backend-cpu");
  }
  // tfjs-backend-cpu prints a "install our node backend" banner through console.warn on its
  // first tensor in Node; the backend choice is logged above instead.
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return { name: 'cpu', device: 'CPU (JavaScript)', skipped };
}

/** $TABSYNTH_WASM_THREADS as a thread count (null when unset). */
function threadsFromEnvironment(): number | null {
  const text = process.env['TABSYNTH_WASM_THREADS'];
  if (text === undefined || text.trim() === '') return null;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BackendError(
      `TABSYNTH_WASM_THREADS must be a whole number of threads, at least 1; got '${text}'`,
    );
  }
  return threads;
}
