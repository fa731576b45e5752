// What each configuration key may hold: its kind and limits. Validation (./validate.ts)
// walks this table, so a key missing here is an unknown key.

/** The kind of value a key takes, with its limits. */
export type KeySpec =
  | { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean; nullable?: boolean }
  | { kind: 'integer'; min?: number; max?: number; nullable?: boolean }
  | { kind: 'string'; nullable?: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'integer[]'; min?: number; minLength?: number }
  | { kind: 'number[]'; length: number; min?: number; max?: number };

/** A section's keys. */
export type SectionSpec = Record<string, KeySpec>;

/** Every section and key of a run configuration. */
export const CONFIG_SPEC: Record<string, SectionSpec> = {
  data: {
    path: { kind: 'string' },
    metadata: { kind: 'string', nullable: true },
    maxRows: { kind: 'integer', min: 1, nullable: true },
  },
  transform: {
    maxModes: { kind: 'integer', min: 1, max: 50 },
    weightConcentration: { kind: 'number', min: 0, exclusiveMin: true },
    minModeWeight: { kind: 'number', min: 0, max: 1 },
    fitRows: { kind: 'integer', min: 10 },
    maxIterations: { kind: 'integer', min: 1 },
    tolerance: { kind: 'number', min: 0 },
    pointMassShare: { kind: 'number', min: 0, max: 1, exclusiveMin: true },
    maxPointMasses: { kind: 'integer', min: 0, max: 100 },
    conditionOnModes: { kind: 'boolean' },
  },
  model: {
    noiseDim: { kind: 'integer', min: 1 },
    generatorDims: { kind: 'integer[]', min: 1, minLength: 1 },
    discriminatorDims: { kind: 'integer[]', min: 1, minLength: 1 },
    pac: { kind: 'integer', min: 1 },
    dropout: { kind: 'number', min: 0, max: 0.99 },
    leakySlope: { kind: 'number', min: 0, max: 1 },
    gumbelTau: { kind: 'number', min: 0, exclusiveMin: true },
  },
  training: {
    epochs: { kind: 'integer', min: 1 },
    batchSize: { kind: 'integer', min: 1 },
    discriminatorSteps: { kind: 'integer', min: 1 },
    generatorLr: { kind: 'number', min: 0, exclusiveMin: true },
    discriminatorLr: { kind: 'number', min: 0, exclusiveMin: true },
    betas: { kind: 'number[]', length: 2, min: 0, max: 0.999999 },
    generatorDecay: { kind: 'number', min: 0 },
    discriminatorDecay: { kind: 'number', min: 0 },
    gradientPenalty: { kind: 'number', min: 0 },
    generatorAverageDecay: { kind: 'number', min: 0, max: 0.999999 },
    seed: { kind: 'integer', min: 0, max: 4294967295 },
    backend: { kind: 'enum', values: ['auto', 'tensorflow', 'wasm', 'cpu'] },
    logEverySeconds: { kind: 'number', min: 0 },
    checkpointEvery: { kind: 'integer', min: 1 },
    checkpointMinutes: { kind: 'number', min: 0, exclusiveMin: true, nullable: true },
    keepCheckpoints: { kind: 'integer', min: 1 },
  },
  sampling: {
    batchSize: { kind: 'integer', min: 1 },
  },
  output: {
    dir: { kind: 'string' },
  },
  evaluation: {
    rows: { kind: 'integer', min: 0 },
  },
};

/** Keys that name files: relative values are resolved against the config file's folder. */
export const PATH_KEYS: readonly string[] = ['data.path', 'data.metadata', 'output.dir'];
