// Chooses the tfjs backend the usefulness models run on. Kept to one function so that the
// project's backend module (src/backend/) can take its place without touching the rest.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

import { getLogger } from '../util/logger.ts';

const log = getLogger('evaluate');

/**
 * Makes sure a tfjs backend is ready: keeps one another module already chose, else tries
 * wasm and falls back to the pure-JS cpu backend with a warning.
 * Shortcoming: `tabsynth evaluate` has no `--backend` flag and does not go through
 * src/backend/init.ts, so it never uses tfjs-node (when installed) nor our wasm kernel fixes;
 * its networks are small (usefulness takes 10-16 s on Adult), and switching would change its
 * figures by float rounding, so the benchmarks' scores would need re-measuring.
 * @returns the name of the backend in use
 */
export async function ensureBackend(): Promise<string> {
  const current = tf.engine().backendName;
  if (current !== undefined && current !== null) return current;
  try {
    if (await tf.setBackend('wasm')) return 'wasm';
    log.warn('the wasm backend did not start; usefulness models run on the slower cpu backend');
  } catch (error) {
    log.warn('the wasm backend failed to start; usefulness models run on the cpu backend', {
      error: String(error),
    });
  }
  await tf.setBackend('cpu');
  return 'cpu';
}
