// Stopping and resuming training through the real command line: Ctrl-C and SIGTERM write a
// checkpoint and exit 130/143; `--resume` continues exactly (bit-identical weights to an
// uninterrupted run); kill -9 at random moments never costs more than the work since the
// last complete checkpoint. Not checked here: model quality (see the benchmarks).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CheckpointStore } from '../../src/checkpoint/store.ts';
import { Rng } from '../../src/util/rng.ts';
import { errorLines, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

const WEATHER = path.join(REPO_ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv');
const METADATA = path.join(REPO_ROOT, 'configs/demo-seattle-weather.json');

// A small network so each epoch (2 steps of 500 rows) takes tens of milliseconds.
function writeConfig(dir: string, training = 'epochs: 4, checkpointEvery: 1'): string {
  const file = path.join(dir, 'run.yaml');
  writeFileSync(
    file,
    [
      `data: {path: ${WEATHER}, metadata: ${METADATA}}`,
      'model: {generatorDims: [32, 32], discriminatorDims: [32, 32], noiseDim: 16}',
      `training: {seed: 7, logEverySeconds: 0, ${training}}`,
    ].join('\n'),
  );
  return file;
}

function generatorBytes(runDir: string): Buffer {
  return readFileSync(path.join(runDir, 'model/generator.bin'));
}

describe('tabsynth train: stop and resume', function () {
  this.timeout(120_000);
  afterEach(removeTempDirs);

  it('gives bit-identical weights for 4 epochs straight and 2 + resume to 4', async () => {
    const dir = makeTempDir();
    const config = writeConfig(dir);
    const straight = path.join(dir, 'straight');
    const resumed = path.join(dir, 'resumed');

    const a = await runCli(['train', '--config', config, '--out', straight]);
    const b = await runCli(['train', '--config', config, '--out', resumed, '--epochs', '2']);
    const c = await runCli(['train', '--resume', resumed, '--epochs', '4']);

    assert.deepEqual([a.code, b.code, c.code], [0, 0, 0], `${a.stderr}${b.stderr}${c.stderr}`);
    assert.match(c.stderr, /resumed from .*ckpt-e000002-s000000 at epoch 2, step 0/);
    assert.ok(generatorBytes(straight).equals(generatorBytes(resumed)), 'generator weights');
    const last = async (run: string) => (await new CheckpointStore(run).loadNewestValid()).content;
    const [x, y] = [await last(straight), await last(resumed)];
    assert.equal(x.epoch, 4);
    assert.deepEqual(y.tensors, x.tensors, 'every tensor incl. Adam moments');
    assert.deepEqual(
      withoutTimings(y.trainer),
      withoutTimings(x.trainer),
      'random streams, step counts and loss history',
    );
    const samples = [path.join(dir, 'straight.parquet'), path.join(dir, 'resumed.parquet')];
    for (const [run, out] of [
      [straight, samples[0]!],
      [resumed, samples[1]!],
    ]) {
      const sampled = await runCli(['sample', '--model', run!, '--rows', '3000', '--out', out!]);
      assert.equal(sampled.code, 0, sampled.stderr);
    }
    assert.ok(readFileSync(samples[0]!).equals(readFileSync(samples[1]!)), 'same sampled file');
  });

  it('writes time-based checkpoints mid-epoch without changing the result', async () => {
    const dir = makeTempDir();
    const plain = path.join(dir, 'plain');
    const timed = path.join(dir, 'timed');
    const every = 'epochs: 6, checkpointEvery: 1000, keepCheckpoints: 100';

    const a = await runCli(['train', '--config', writeConfig(dir, every), '--out', plain]);
    const config = writeConfig(dir, `${every}, checkpointMinutes: 0.0003`); // every ~18 ms
    const b = await runCli(['train', '--config', config, '--out', timed]);

    assert.deepEqual([a.code, b.code], [0, 0], a.stderr + b.stderr);
    const written = await new CheckpointStore(timed).list();
    assert.ok(
      written.some((checkpoint) => checkpoint.step > 0),
      `a mid-epoch checkpoint among ${written.map((c) => c.name).join(', ')}`,
    );
    assert.ok(generatorBytes(plain).equals(generatorBytes(timed)), 'same weights');
  });

  it('refuses a resume that would change the model, naming each setting', async () => {
    const dir = makeTempDir();
    const run = path.join(dir, 'run');
    const first = await runCli(['train', '--config', writeConfig(dir), '--out', run]);
    const changed = path.join(dir, 'changed.yaml');
    writeFileSync(changed, 'model: {pac: 5}\ntraining: {batchSize: 250, epochs: 8}\n');

    const resumed = await runCli(['train', '--resume', run, '--config', changed]);

    assert.equal(first.code, 0, first.stderr);
    assert.equal(resumed.code, 2, resumed.stderr);
    assert.ok(
      resumed.stderr.includes(
        'cannot change on resume:\n  model.pac: the run has 10, requested 5\n' +
          '  training.batchSize: the run has 500, requested 250\n',
      ),
      resumed.stderr,
    );
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`stops on ${signal} after a checkpoint, exits ${code}, and resumes to the end`, async () => {
      const dir = makeTempDir();
      const config = writeConfig(dir, 'epochs: 10000, checkpointEvery: 1000');
      const run = path.join(dir, 'run');
      let pid = 0;
      const started = runCli(['train', '--config', config, '--out', run], {
        onSpawn: (childPid) => (pid = childPid),
      });
      await waitForFile(path.join(run, 'config.json'));
      await sleep(1500); // some steps into the first epochs

      process.kill(pid, signal);
      const stopped = await started;

      assert.equal(stopped.code, code, stopped.stderr);
      assert.match(stopped.stderr, new RegExp(`${signal} received: finishing the current step`));
      assert.match(stopped.stderr, /Continue with: tabsynth train --resume /);
      const { info } = await new CheckpointStore(run).loadNewestValid();
      assert.ok(info.epoch > 0 || info.step > 0, 'the checkpoint holds the steps done');
      const resumed = await runCli(['train', '--resume', run, '--epochs', String(info.epoch + 2)]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal((await new CheckpointStore(run).loadNewestValid()).info.epoch, info.epoch + 2);
    });
  }

  it('survives kill -9 at random moments: every resume continues and finishes', async () => {
    const dir = makeTempDir();
    const config = writeConfig(dir, 'epochs: 400, checkpointEvery: 1');
    const run = path.join(dir, 'run');
    const rng = new Rng(20261203);
    let lastEpoch = -1;
    let killsAfterACheckpoint = 0;

    for (let attempt = 0; attempt < 10; attempt++) {
      let pid = 0;
      let training: () => void = () => undefined;
      const trainingStarted = new Promise<void>((resolve) => (training = resolve));
      // A kill during start-up can come before the run wrote its config: start it again.
      const args = existsSync(path.join(run, 'config.json'))
        ? ['train', '--resume', run]
        : ['train', '--config', config, '--out', run];
      const running = runCli(args, {
        onSpawn: (childPid) => (pid = childPid),
        onStderr: (text) => /\[train\] (epoch|checkpoint written)/.test(text) && training(),
      });
      // The first kill falls anywhere in start-up; the others at random moments of training,
      // where a checkpoint is written every epoch (every ~50 ms), so some hit the writes.
      if (attempt === 0) await sleep(300 + rng.int(1500));
      else await Promise.race([trainingStarted.then(() => sleep(rng.int(800))), running]);
      killIfRunning(pid);
      const killed = await running;
      if (killed.code === 0) break; // it finished before the kill
      assert.equal(killed.signal, 'SIGKILL', `ended by itself:\n${killed.stderr}`);

      const checkpoints = await new CheckpointStore(run).list();
      if (checkpoints.length > 0) {
        killsAfterACheckpoint += 1;
        const { info } = await new CheckpointStore(run).loadNewestValid();
        assert.ok(info.epoch >= lastEpoch, 'never goes back past a complete checkpoint');
        lastEpoch = info.epoch;
      }
    }
    const finished = await runCli(['train', '--resume', run]);

    assert.ok(killsAfterACheckpoint >= 6, `only ${killsAfterACheckpoint} kills hit training`);
    assert.equal(finished.code, 0, finished.stderr);
    assert.deepEqual(errorLines(finished.stderr), []);
    assert.equal((await new CheckpointStore(run).loadNewestValid()).info.epoch, 400);
  });
});

// Wall-clock seconds differ between any two runs; everything else must be equal.
function withoutTimings(state: unknown): unknown {
  return JSON.parse(JSON.stringify(state, (key, value) => (key === 'seconds' ? undefined : value)));
}

function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    // ESRCH: the process already ended; the caller looks at how.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear in ${timeoutMs} ms`);
    await sleep(50);
  }
}
