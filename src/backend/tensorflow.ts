// Loads the native TensorFlow backend of tfjs-node: @tensorflow/tfjs-node-gpu (CUDA when its
// libraries are present, TensorFlow's CPU kernels otherwise) or @tensorflow/tfjs-node. Both are
// optional: neither is a dependency of tabsynth, and their absence is an expected outcome.
import * as tf from '@tensorflow/tfjs-core';

/** The npm packages that provide the 'tensorflow' backend, in the order they are tried. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Fields of tfjs-node's NodeJSKernelBackend that tell where kernels run (untyped here). */
interface NodeBackendFlags {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

/** Outcome of trying one package. */
export type TensorflowAttempt =
  | { loaded: true; packageName: string; device: string }
  | { loaded: false; packageName: string; reason: string };

/**
 * Imports `packageName` (which registers the 'tensorflow' backend on tfjs-core's global engine)
 * and makes 'tensorflow' the active backend.
 * @param packageName one of TENSORFLOW_PACKAGES
 * @returns the device ('GPU (CUDA)' or 'CPU (TensorFlow)') or why the package cannot be used
 */
export async function tryTensorflow(packageName: string): Promise<TensorflowAttempt> {
  try {
    // A specifier held in a variable: the package is optional and may not be installed.
    const specifier: string = packageName;
    await import(specifier);
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' &&
      firstLine(error).includes(`'${packageName}'`);
    return { loaded: false, packageName, reason: missing ? 'not installed' : firstLine(error) };
  }

  if (tf.findBackendFactory('tensorflow') == null) {
    const reason = `${packageName} loaded but registered no 'tensorflow' backend`;
    return { loaded: false, packageName, reason };
  }
  if (!(await tf.setBackend('tensorflow'))) {
    const reason = `${packageName} loaded but its 'tensorflow' backend failed to start`;
    return { loaded: false, packageName, reason };
  }
  const flags = tf.backend() as unknown as NodeBackendFlags;
  const device = flags.isUsingGpuDevice === true ? 'GPU (CUDA)' : 'CPU (TensorFlow)';
  return { loaded: true, packageName, device };
}

/** The first line of an error's message, for one-line log entries. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
