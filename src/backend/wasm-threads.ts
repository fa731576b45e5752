// Runs tfjs's threaded-SIMD wasm build in Node, so that XNNPACK uses several cores. tfjs turns
// threads off in Node (tfjs issue 3830): its loader hands emscripten blob: URLs, which Node's
// Worker refuses (ERR_WORKER_PATH). This adapter loads the same build with file paths instead.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * The parts of the emscripten module this adapter touches (the module is untyped JavaScript;
 * tfjs's own typings name a global EmscriptenModule type that is not installed).
 */
interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { terminateAllThreads(): void };
  tfjs?: unknown;
}

/** The imports object emscripten passes to `instantiateWasm`. */
interface WasmImports {
  env: Record<string, unknown>;
  [module: string]: Record<string, unknown>;
}

/** The WebAssembly API of Node (its typings are not part of this project's `lib`). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  Instance: new (module: CompiledWasm, imports: WasmImports) => { exports: object };
}

/** A compiled WebAssembly.Module, opaque here. */
type CompiledWasm = object;

/** Options of emscripten's module factory that this adapter sets. */
interface FactoryOptions {
  locateFile(file: string, prefix: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(
    imports: WasmImports,
    receive: (instance: { exports: object }, module: CompiledWasm) => void,
  ): object;
}

type ModuleFactory = (options: FactoryOptions) => Promise<ThreadedWasmModule>;

/** Priority tfjs gives its wasm backend; kept so that backend order does not change. */
const WASM_PRIORITY = 2;

const require = createRequire(import.meta.url);
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
let loadedModule: ThreadedWasmModule | null = null;

/**
 * Registers the 'wasm' backend factory so that it builds the threaded-SIMD module with
 * `threads` threads. Call before the wasm backend is first used (tf.setBackend('wasm')).
 *
 * How it works, without touching node_modules:
 * - emscripten creates each pthread with `new Worker(locateFile('...worker.js'))`; tfjs's
 *   locateFile returns a blob: URL, ours a file: the worker script (exported by tfjs as a string)
 *   written once to the temp directory;
 * - the worker loads the main script from `mainScriptUrlOrBlob`; tfjs passes a Blob of a
 *   function's source (whose bundle-scope names are undefined in a worker), ours the path of
 *   the self-contained emscripten script wasm-out/tfjs-backend-wasm-threaded-simd.js;
 * - XNNPACK caps its pool at (logical cores / 2) (backend.cc assumes two hyper-threads per
 *   core), which is 1 on a 2-core machine; `instantiateWasm` reports 2 x threads cores.
 * Emscripten keeps 8 workers ready (its compiled PTHREAD_POOL_SIZE) and the running threads keep
 * the process alive: call `terminateWasmThreads()` before exiting.
 * @param threads number of threads, at least 2
 */
export function registerThreadedWasm(threads: number): void {
  const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const outDir = path.join(packageDir, 'wasm-out');
  const mainScript = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const binary = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = require(mainScript) as ModuleFactory;
  const workerScript = writeWorkerScript(
    path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  );

  setThreadsCount(threads);
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const compiled = await webAssembly.compile(fs.readFileSync(binary));
      const module = await factory({
        locateFile: (file, prefix) => {
          if (file.endsWith('.worker.js')) return workerScript;
          if (file.endsWith('.wasm')) return binary;
          return prefix + file;
        },
        mainScriptUrlOrBlob: mainScript,
        // Synchronous, so that an error reaches emscripten, which rejects the factory's promise.
        instantiateWasm: (imports, receive) => {
          imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
          const instance = new webAssembly.Instance(compiled, imports);
          receive(instance, compiled);
          return instance.exports;
        },
      });
      module.tfjs = bridge(module);
      loadedModule = module;
      return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    },
    WASM_PRIORITY,
  );
}

/**
 * Ends the pthreads of the threaded wasm module, if one was loaded, so that the process can
 * exit. The wasm backend cannot run kernels afterwards.
 */
export function terminateWasmThreads(): void {
  loadedModule?.PThread.terminateAllThreads();
  loadedModule = null;
}

/** The functions tfjs's BackendWasm expects under `module.tfjs` (what tfjs's own init sets). */
function bridge(module: ThreadedWasmModule): object {
  return {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Writes tfjs's pthread worker script to the temp directory (once per content) and returns its
 * path. The script is a string exported by a CommonJS module; like tfjs, we escape its newlines,
 * which sit inside string literals of the minified code.
 */
function writeWorkerScript(sourceModule: string): string {
  const { wasmWorkerContents } = require(sourceModule) as { wasmWorkerContents: string };
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const digest = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const target = path.join(os.tmpdir(), `tabsynth-tfjs-wasm-worker-${digest}.cjs`);
  if (!fs.existsSync(target)) {
    const partial = `${target}.${process.pid}.partial`;
    fs.writeFileSync(partial, script);
    fs.renameSync(partial, target);
  }
  return target;
}
