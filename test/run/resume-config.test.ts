import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { RunConfig } from '../../src/config/schema.ts';
import { applyResumeChanges } from '../../src/run/resume-config.ts';

const saved: RunConfig = {
  ...structuredClone(DEFAULT_CONFIG),
  data: { path: '/data/t.csv', metadata: null, maxRows: null },
};

describe('applyResumeChanges', () => {
  it('takes new epochs, learning rates, logging, checkpoint settings and backend', () => {
    const config = applyResumeChanges(saved, {
      training: {
        epochs: 600,
        generatorLr: 1e-4,
        discriminatorLr: 1e-4,
        backend: 'cpu',
        logEverySeconds: 1,
        checkpointEvery: 5,
        checkpointMinutes: 30,
        keepCheckpoints: 9,
      },
      evaluation: { rows: 1000 },
    });

    assert.equal(config.training.epochs, 600);
    assert.equal(config.training.generatorLr, 1e-4);
    assert.equal(config.training.checkpointMinutes, 30);
    assert.equal(config.evaluation.rows, 1000);
    assert.deepEqual(config.model, saved.model);
    assert.equal(saved.training.epochs, 300, 'the saved config is not changed');
  });

  it('takes a new weight-average decay', () => {
    const config = applyResumeChanges(saved, { training: { generatorAverageDecay: 0.99 } });

    assert.equal(config.training.generatorAverageDecay, 0.99);
  });

  it('continues a run saved before weight averaging without averaging', () => {
    const old = structuredClone(saved) as unknown as { training: Record<string, unknown> };
    delete old.training['generatorAverageDecay'];

    const config = applyResumeChanges(old as unknown as RunConfig, {});

    assert.equal(config.training.generatorAverageDecay, 0);
  });

  it('completes a run saved before point masses had a limit with the default limit', () => {
    const old = structuredClone(saved) as unknown as { transform: Record<string, unknown> };
    delete old.transform['maxPointMasses'];

    const config = applyResumeChanges(old as unknown as RunConfig, {});

    assert.equal(config.transform.maxPointMasses, DEFAULT_CONFIG.transform.maxPointMasses);
  });

  it('says that a run saved before modes could be conditions has none', () => {
    const old = structuredClone(saved) as unknown as { transform: Record<string, unknown> };
    delete old.transform['conditionOnModes'];

    const config = applyResumeChanges(old as unknown as RunConfig, {});

    assert.equal(config.transform.conditionOnModes, false);
  });

  it('accepts locked keys that repeat the saved values', () => {
    const config = applyResumeChanges(saved, { model: { pac: 10 }, training: { seed: 0 } });

    assert.deepEqual(config, saved);
  });

  it('names every locked key that would change, with both values', () => {
    assert.throws(
      () =>
        applyResumeChanges(saved, {
          model: { pac: 5, generatorDims: [128, 128] },
          training: { batchSize: 250, epochs: 10 },
          data: { maxRows: 1000 },
        }),
      {
        name: 'ConfigError',
        message:
          'These settings would change the model and cannot change on resume:\n' +
          '  model.pac: the run has 10, requested 5\n' +
          '  model.generatorDims: the run has [256,256], requested [128,128]\n' +
          '  training.batchSize: the run has 500, requested 250\n' +
          '  data.maxRows: the run has null, requested 1000\n' +
          "Resume with the run's own values (drop them from the config), or start a new run " +
          'with --out NEW_DIR. On resume you may change epochs, learning rates, the weight ' +
          'average, logging, checkpoint settings and the backend.',
      },
    );
  });
});
