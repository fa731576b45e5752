// Every default of the run configuration, in one place. Values follow the CTGAN paper and
// the Python reference implementation unless a comment says otherwise.
import type { RunConfig } from './schema.ts';

/** Defaults for every key but data.path, which has none. */
export const DEFAULT_CONFIG: Omit<RunConfig, 'data'> & { data: Omit<RunConfig['data'], 'path'> } = {
  data: { metadata: null, maxRows: null },
  transform: {
    maxModes: 10,
    weightConcentration: 0.001,
    minModeWeight: 0.005,
    fitRows: 50_000,
    maxIterations: 100,
    tolerance: 1e-3,
    pointMassShare: 0.05,
    // Not in the reference, which has no point masses; measured in docs/quality.md.
    maxPointMasses: 10,
    // Not in the reference either; measured in docs/quality.md.
    conditionOnModes: true,
  },
  model: {
    noiseDim: 128,
    generatorDims: [256, 256],
    discriminatorDims: [256, 256],
    pac: 10,
    dropout: 0.5,
    leakySlope: 0.2,
    gumbelTau: 0.2,
  },
  training: {
    epochs: 300,
    batchSize: 500,
    discriminatorSteps: 1,
    generatorLr: 2e-4,
    discriminatorLr: 2e-4,
    betas: [0.5, 0.9],
    generatorDecay: 1e-6,
    discriminatorDecay: 1e-6,
    gradientPenalty: 10,
    // Not in the reference, which samples its last weights. 0.999 spans the last ~1,000 steps
    // (~20 Adult epochs); measured in docs/quality.md.
    generatorAverageDecay: 0.999,
    seed: 0,
    backend: 'auto',
    logEverySeconds: 10,
    checkpointEvery: 10,
    checkpointMinutes: null,
    keepCheckpoints: 3,
  },
  sampling: { batchSize: 4096 },
  output: { dir: 'models/run' },
  evaluation: { rows: 0 },
};
