import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { loadConfigFile, resolveConfig } from '../../src/config/load.ts';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.ts';

function writeConfig(text: string, name = 'run.yaml'): string {
  const file = path.join(makeTempDir(), name);
  writeFileSync(file, text);
  return file;
}

describe('config loading', () => {
  afterEach(removeTempDirs);

  describe('resolveConfig', () => {
    it('takes defaults, then the file, then the flags', async () => {
      const file = writeConfig('data:\n  path: table.csv\ntraining:\n  epochs: 20\n  seed: 5\n');

      const config = await resolveConfig({ file, overrides: { training: { seed: 9 } } });

      assert.equal(config.training.epochs, 20, 'file beats default');
      assert.equal(config.training.seed, 9, 'flag beats file');
      assert.equal(config.training.batchSize, DEFAULT_CONFIG.training.batchSize, 'default');
      assert.deepEqual(config.model, DEFAULT_CONFIG.model);
    });

    it("resolves a file's relative paths against the file's folder", async () => {
      const file = writeConfig('data:\n  path: ../data/table.csv\noutput:\n  dir: runs/a\n');

      const config = await resolveConfig({ file });

      assert.equal(config.data.path, path.resolve(path.dirname(file), '../data/table.csv'));
      assert.equal(config.output.dir, path.resolve(path.dirname(file), 'runs/a'));
    });

    it("resolves a flag's relative paths against the working directory", async () => {
      const config = await resolveConfig({ overrides: { data: { path: 'x.csv' } } });

      assert.equal(config.data.path, path.resolve('x.csv'));
    });

    it('reads JSON configs with the same schema', async () => {
      const file = writeConfig('{"data": {"path": "t.csv"}, "model": {"pac": 5}}', 'c.json');

      const config = await resolveConfig({ file });

      assert.equal(config.model.pac, 5);
    });

    it('needs a table to train on', async () => {
      const file = writeConfig('training:\n  epochs: 3\n');

      await assert.rejects(resolveConfig({ file }), {
        name: 'ConfigError',
        message:
          `No table to train on: '${file}' sets no data.path. Set data.path in the config or ` +
          'pass --data FILE, e.g. tabsynth train --config configs/demo.yaml --data my-table.csv.',
      });
    });

    it('needs the batch size to be a multiple of pac, naming both keys', async () => {
      const file = writeConfig('data: {path: t.csv}\ntraining: {batchSize: 64}\n');

      await assert.rejects(resolveConfig({ file }), {
        name: 'ConfigError',
        message:
          'training.batchSize (64) must be a multiple of model.pac (10): use e.g. ' +
          'training.batchSize: 60.',
      });
    });
  });

  describe("the README's example", () => {
    it('loads, and shows the default of every model, training and transform key', async () => {
      const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
      const example = /### Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
      assert.ok(example, 'README.md has a yaml block under "### Configuration"');

      const shown = await loadConfigFile(writeConfig(example));

      for (const section of ['transform', 'model', 'training'] as const) {
        const values = Object.entries(shown[section] ?? {});
        assert.ok(values.length > 0, `the example shows ${section} keys`);
        const defaults: Record<string, unknown> = { ...DEFAULT_CONFIG[section] };
        for (const [key, value] of values) {
          assert.deepEqual(value, defaults[key], `${section}.${key}`);
        }
      }
    });
  });

  describe('loadConfigFile errors', () => {
    it('names an unknown key by its path and suggests the right one', async () => {
      const file = writeConfig('training:\n  epoch: 3\n');

      await assert.rejects(loadConfigFile(file), {
        name: 'ConfigError',
        message:
          `${file}: unknown key 'training.epoch' (did you mean 'epochs'?). Valid keys in ` +
          "'training': epochs, batchSize, discriminatorSteps, generatorLr, discriminatorLr, " +
          'betas, generatorDecay, discriminatorDecay, gradientPenalty, generatorAverageDecay, ' +
          'seed, backend, logEverySeconds, checkpointEvery, checkpointMinutes, keepCheckpoints.',
      });
    });

    it('names an unknown section', async () => {
      const file = writeConfig('trainig:\n  epochs: 3\n');

      await assert.rejects(loadConfigFile(file), {
        message:
          `${file}: unknown key 'trainig' (did you mean 'training'?). Valid sections: data, ` +
          'transform, model, training, sampling, output, evaluation.',
      });
    });

    it('names key, value and expectation for a wrong type', async () => {
      const file = writeConfig('training:\n  epochs: "ten"\n');

      await assert.rejects(loadConfigFile(file), {
        message: `${file}: 'training.epochs' is the string "ten", but it must be an integer >= 1.`,
      });
    });

    it('rejects values out of range and bad lists', async () => {
      const badBackend = writeConfig('training:\n  backend: gpu\n');
      const badDims = writeConfig('model:\n  generatorDims: [256, -1]\n');

      await assert.rejects(loadConfigFile(badBackend), {
        message:
          `${badBackend}: 'training.backend' is the string "gpu", but it must be one of ` +
          "'auto', 'tensorflow', 'wasm', 'cpu'.",
      });
      await assert.rejects(loadConfigFile(badDims), {
        message:
          `${badDims}: 'model.generatorDims' is the list [256,-1], but it must be a list of ` +
          'integers >= 1 with at least 1 item, e.g. [256, 256].',
      });
    });

    it('rejects a weight-average decay of 1, which would never move the average', async () => {
      const file = writeConfig('training:\n  generatorAverageDecay: 1\n');

      await assert.rejects(loadConfigFile(file), {
        message:
          `${file}: 'training.generatorAverageDecay' is the number 1, but it must be a number ` +
          '>= 0 and <= 0.999999.',
      });
    });

    it('wants true or false for a switch, not a string', async () => {
      const file = writeConfig('transform:\n  conditionOnModes: "yes"\n');

      await assert.rejects(loadConfigFile(file), {
        message:
          `${file}: 'transform.conditionOnModes' is the string "yes", but it must be true or ` +
          'false.',
      });
    });

    it('reports a YAML syntax error with its place', async () => {
      const file = writeConfig('training:\n  epochs: [1, 2\n');

      await assert.rejects(loadConfigFile(file), (error: Error) => {
        assert.equal(error.name, 'ConfigError');
        assert.match(error.message, new RegExp(`^Config file '${file}' does not parse: .+line`));
        return true;
      });
    });

    it('reports a missing file with an example of the right usage', async () => {
      await assert.rejects(loadConfigFile('/nonexistent/run.yaml'), {
        message:
          "Cannot read config file '/nonexistent/run.yaml': no such file. Pass an existing " +
          'YAML or JSON file, e.g. --config configs/demo.yaml.',
      });
    });
  });
});
