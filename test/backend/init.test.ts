// Tests of the backend choice: forced backends, the auto fallback chain and its log lines, and
// the errors for a backend that cannot start.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Writable } from 'node:stream';

import * as tf from '@tensorflow/tfjs-core';
import winston from 'winston';

import { initBackend } from '../../src/backend/init.ts';
import { BackendError } from '../../src/util/errors.ts';
import { quietLog } from './helpers.ts';

/** A winston logger that records 'level: message' lines. */
function recordingLog(): { log: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string }, _encoding, done) {
      lines.push(`${info.level}: ${info.message}`);
      done();
    },
  });
  const log = winston.createLogger({ transports: [new winston.transports.Stream({ stream })] });
  return { log, lines };
}

/** True when a tfjs-node package can be resolved (then 'tensorflow' may start). */
function tensorflowInstalled(): boolean {
  const require = createRequire(import.meta.url);
  return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false; // not installed: the expected case on machines without libtensorflow
    }
  });
}

describe('initBackend', function () {
  it('starts the cpu backend when asked', async function () {
    const info = await initBackend('cpu', quietLog);

    assert.deepEqual(info, { name: 'cpu', device: 'CPU (JavaScript)', skipped: [] });
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('starts the single-threaded wasm backend when asked', async function () {
    const info = await initBackend('wasm', quietLog, { wasmThreads: 1 });

    assert.equal(info.name, 'wasm');
    assert.match(info.device, /^CPU \(wasm(, SIMD)?, 1 thread\)$/);
    assert.equal(tf.getBackend(), 'wasm');
  });

  describe('without @tensorflow/tfjs-node(-gpu)', function () {
    before(function () {
      if (tensorflowInstalled()) this.skip();
    });

    it('falls back from auto to wasm and logs why tensorflow was skipped', async function () {
      const { log, lines } = recordingLog();

      const info = await initBackend('auto', log, { wasmThreads: 1 });

      assert.equal(info.name, 'wasm');
      assert.deepEqual(info.skipped, [
        { name: '@tensorflow/tfjs-node-gpu', reason: 'not installed' },
        { name: '@tensorflow/tfjs-node', reason: 'not installed' },
      ]);
      assert.deepEqual(lines, [
        `info: tfjs backend wasm on ${info.device}`,
        'warn: skipped backend @tensorflow/tfjs-node-gpu: not installed',
        'warn: skipped backend @tensorflow/tfjs-node: not installed',
      ]);
    });

    it('names the install commands when tensorflow is forced', async function () {
      await assert.rejects(initBackend('tensorflow', quietLog), (error: unknown) => {
        assert.ok(error instanceof BackendError);
        assert.equal(error.exitCode, 2);
        assert.equal(
          error.message,
          "backend 'tensorflow' is not available (@tensorflow/tfjs-node-gpu: not installed; " +
            '@tensorflow/tfjs-node: not installed); install it with `npm install ' +
            '@tensorflow/tfjs-node-gpu@4.22.0` (CUDA GPU, falls back to CPU) or `npm install ' +
            '@tensorflow/tfjs-node@4.22.0` (CPU), or choose --backend wasm',
        );
        return true;
      });
    });
  });

  it('names TABSYNTH_WASM_THREADS if asked, when wasm runs 1 of several cores', async function () {
    const saved = process.env['TABSYNTH_WASM_THREADS'];
    delete process.env['TABSYNTH_WASM_THREADS'];
    try {
      const byDefault = recordingLog();
      const chosen = recordingLog();

      const unasked = recordingLog();
      await initBackend('wasm', byDefault.log, { hintThreads: true });
      await initBackend('wasm', chosen.log, { wasmThreads: 1, hintThreads: true });
      await initBackend('wasm', unasked.log);

      const cores = os.availableParallelism();
      const hint =
        `info: wasm runs 1 thread of ${cores} cores: TABSYNTH_WASM_THREADS=2 runs two, ~20% ` +
        'faster a training step while both cores have nothing else to do (docs/training.md)';
      assert.deepEqual(byDefault.lines.slice(1), cores > 1 ? [hint] : []);
      assert.equal(chosen.lines.length, 1);
      assert.equal(unasked.lines.length, 1);
    } finally {
      if (saved !== undefined) process.env['TABSYNTH_WASM_THREADS'] = saved;
    }
  });

  it('rejects a TABSYNTH_WASM_THREADS that is not a thread count', async function () {
    const saved = process.env['TABSYNTH_WASM_THREADS'];
    process.env['TABSYNTH_WASM_THREADS'] = 'two';
    try {
      await assert.rejects(initBackend('wasm', quietLog), {
        name: 'BackendError',
        message: "TABSYNTH_WASM_THREADS must be a whole number of threads, at least 1; got 'two'",
      });
    } finally {
      if (saved === undefined) delete process.env['TABSYNTH_WASM_THREADS'];
      else process.env['TABSYNTH_WASM_THREADS'] = saved;
    }
  });
});
