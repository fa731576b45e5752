// Puts our kernel in place of a tfjs backend's own, keeping the original for the cases ours
// does not handle. Idempotent: a kernel that is already ours is left as it is.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

/** Kernel functions this module registered, so that a second call changes nothing. */
const replaced = new WeakSet<KernelFunc>();

/**
 * Registers `make(original)` in place of the `backendName` kernel `kernelName`.
 * @throws Error when that kernel is not registered (the backend's package was not imported)
 */
export function replaceKernel(
  kernelName: string,
  backendName: string,
  make: (original: KernelFunc) => KernelFunc,
): void {
  const config = tf.getKernel(kernelName, backendName);
  if (config == null) throw new Error(`the ${backendName} ${kernelName} kernel is not registered`);
  if (replaced.has(config.kernelFunc)) return;
  const kernelFunc = make(config.kernelFunc);
  replaced.add(kernelFunc);
  const replacement: KernelConfig = { ...config, kernelFunc };
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(replacement);
}
