// Tests of the threaded wasm backend. It replaces the wasm backend of the process that loads
// it, so each run happens in a child process (fixtures/wasm-fingerprint.ts), which prints the
// device and SHA-256 fingerprints of a product, its gradient and three training steps.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/wasm-fingerprint.ts',
);
const tsx = path.resolve(path.dirname(fixture), '../../../node_modules/.bin/tsx');

interface Fingerprint {
  device: string;
  product: string;
  training: string;
}

/** Runs the fingerprint script with `threads` wasm threads. */
async function fingerprint(threads: number): Promise<Fingerprint> {
  const { stdout } = await run(tsx, [fixture, String(threads)], { timeout: 60_000 });
  return JSON.parse(stdout.trim()) as Fingerprint;
}

describe('threaded wasm backend (TABSYNTH_WASM_THREADS)', function () {
  this.timeout(120_000);

  it('gives bit-identical results with two threads, then exits', async function () {
    const [single, threaded] = await Promise.all([fingerprint(1), fingerprint(2)]);

    assert.match(single.device, /, 1 thread\)$/);
    assert.match(threaded.device, /, 2 threads\)$/);
    assert.equal(threaded.product, single.product);
    assert.equal(threaded.training, single.training);
  });
});
