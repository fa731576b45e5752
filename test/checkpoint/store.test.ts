import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  CheckpointStore,
  checkpointName,
  type CheckpointContent,
} from '../../src/checkpoint/store.ts';
import { CheckpointError } from '../../src/util/errors.ts';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

function content(epoch: number, step = 0): CheckpointContent {
  return {
    epoch,
    step,
    backend: 'cpu',
    tensors: [
      { name: 'generator.w', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, epoch]) },
      { name: 'adam.step', shape: [1], values: Float32Array.from([epoch * 10 + step]) },
    ],
    trainer: { epoch, rng: { words: [1, 2, 3, 4], spareGaussian: null } },
    config: { training: { epochs: 10 } },
    metadata: { columns: [{ name: 'a', type: 'continuous' }] },
    transformer: { columns: [] },
  };
}

describe('CheckpointStore', () => {
  afterEach(removeTempDirs);

  describe('#write and #loadNewestValid', () => {
    it('round-trips tensors and JSON state exactly', async () => {
      const store = new CheckpointStore(makeTempDir());

      await store.write(content(3, 7), 3);
      const { info, content: loaded } = await store.loadNewestValid();

      assert.equal(info.name, 'ckpt-e000003-s000007');
      assert.deepEqual(loaded, content(3, 7));
    });

    it('keeps only the newest K checkpoints', async () => {
      const store = new CheckpointStore(makeTempDir());

      for (const epoch of [1, 2, 3, 4, 5]) await store.write(content(epoch), 2);

      assert.deepEqual(
        (await store.list()).map((c) => c.name),
        [checkpointName(5, 0), checkpointName(4, 0)],
      );
    });

    it('orders mid-epoch checkpoints after the epoch boundary they follow', async () => {
      const store = new CheckpointStore(makeTempDir());

      await store.write(content(2, 0), 5);
      await store.write(content(2, 4), 5);
      await store.write(content(1, 9), 5);

      assert.equal((await store.loadNewestValid()).info.name, 'ckpt-e000002-s000004');
    });
  });

  describe('damage', () => {
    it('skips a truncated checkpoint and falls back to the one before', async () => {
      const runDir = makeTempDir();
      const store = new CheckpointStore(runDir);
      await store.write(content(1), 3);
      const newest = await store.write(content(2), 3);
      const tensors = path.join(newest.dir, 'tensors.bin');
      const bytes = await fs.readFile(tensors);
      await fs.writeFile(tensors, bytes.subarray(0, bytes.length - 4));

      const { info } = await store.loadNewestValid();

      assert.equal(info.epoch, 1);
    });

    it('skips a checkpoint with one flipped byte', async () => {
      const store = new CheckpointStore(makeTempDir());
      await store.write(content(1), 3);
      const newest = await store.write(content(2), 3);
      const file = path.join(newest.dir, 'trainer.json');
      const bytes = await fs.readFile(file);
      bytes[3] = bytes[3]! ^ 0x01;
      await fs.writeFile(file, bytes);

      assert.equal((await store.loadNewestValid()).info.epoch, 1);
    });

    it('detects a damaged manifest', async () => {
      const store = new CheckpointStore(makeTempDir());
      await store.write(content(1), 3);
      const newest = await store.write(content(2), 3);
      const file = path.join(newest.dir, 'manifest.json');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace('"epoch": 2', '"epoch": 9'));

      assert.equal((await store.loadNewestValid()).info.epoch, 1);
    });

    it('lists every checkpoint tried when none is valid', async () => {
      const runDir = makeTempDir();
      const store = new CheckpointStore(runDir);
      const only = await store.write(content(1), 3);
      await fs.rm(path.join(only.dir, 'tensors.bin'));

      await assert.rejects(store.loadNewestValid(), (error: unknown) => {
        assert.ok(error instanceof CheckpointError);
        assert.equal(
          error.message,
          `No valid checkpoint in ${store.dir}; tried:\n` +
            `  ckpt-e000001-s000000: tensors.bin cannot be read (ENOENT: no such file or ` +
            `directory, open '${path.join(only.dir, 'tensors.bin')}')\n` +
            'Start a new run with tabsynth train --config.',
        );
        return true;
      });
    });

    it('says there is no checkpoint in an empty run', async () => {
      const store = new CheckpointStore(makeTempDir());

      await assert.rejects(store.loadNewestValid(), {
        name: 'CheckpointError',
        message:
          `No checkpoint in ${store.dir}. A run writes one every training.checkpointEvery ` +
          'epochs and when stopped by Ctrl-C or SIGTERM; start a new run with tabsynth train ' +
          '--config.',
      });
    });

    it('removes the unfinished folder that a crash during a write left', async () => {
      const store = new CheckpointStore(makeTempDir());
      await store.write(content(1), 3);
      const leftover = path.join(store.dir, '.ckpt-e000002-s000000.tmp-999-1');
      await fs.mkdir(leftover);
      await fs.writeFile(path.join(leftover, 'tensors.bin'), 'partial');

      const { info } = await store.loadNewestValid();

      assert.equal(info.epoch, 1);
      await assert.rejects(fs.stat(leftover), { code: 'ENOENT' });
    });
  });
});

describe('CheckpointStore on a failing disk', () => {
  let disk: SmallDisk | null = null;

  beforeEach(function () {
    disk = mountSmallDisk(256);
    if (disk === null) this.skip(); // needs root and mount rights for a real tmpfs
  });

  afterEach(() => {
    disk?.unmount();
    removeTempDirs();
  });

  it('reports a full disk clearly and leaves the previous checkpoint intact', async () => {
    const store = new CheckpointStore(disk!.dir);
    await store.write(content(1), 3);
    disk!.fill();

    await assert.rejects(store.write(content(2), 3), (error: unknown) => {
      assert.ok(error instanceof CheckpointError);
      assert.match(
        error.message,
        /^Could not write checkpoint .*ckpt-e000002-s000000: ENOSPC: no space left on device/,
      );
      return true;
    });
    assert.equal((await store.loadNewestValid()).info.epoch, 1);
    assert.deepEqual(
      (await fs.readdir(store.dir)).sort(),
      ['ckpt-e000001-s000000'],
      'no partial folder is left behind',
    );
  });

  it('reports a read-only folder clearly and leaves the previous checkpoint intact', async () => {
    const store = new CheckpointStore(disk!.dir);
    await store.write(content(1), 3);
    disk!.readOnly();

    await assert.rejects(store.write(content(2), 3), (error: unknown) => {
      assert.ok(error instanceof CheckpointError);
      assert.match(error.message, /ckpt-e000002-s000000: EROFS: read-only file system/);
      assert.match(error.message, /Earlier checkpoints are untouched/);
      return true;
    });
    assert.equal((await store.loadNewestValid()).info.epoch, 1);
  });
});
