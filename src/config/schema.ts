// The run configuration: one typed section per component. Every field is documented here,
// where it is declared; defaults live in ./defaults.ts and nowhere else.

/** Which tfjs backend runs the model. `auto` tries tensorflow, then wasm, then cpu. */
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Where the table comes from and how much of it is used. */
export interface DataConfig {
  /** Path of the table: .csv, .parquet, .arrow/.feather/.ipc, .arrows, or .json. */
  path: string;
  /** Path of a metadata JSON; when null the metadata is inferred and saved in the run. */
  metadata: string | null;
  /** Train on a seeded uniform sample of at most this many rows; null uses every row. */
  maxRows: number | null;
}

/** How columns are turned into the model's matrix (see src/transform/). */
export interface TransformConfig {
  /** Most mixture components per continuous column (the paper's 10). */
  maxModes: number;
  /** Dirichlet-process weight-concentration prior of the mixture (the paper's 0.001). */
  weightConcentration: number;
  /** Components whose weight falls below this are dropped (the paper's 0.005). */
  minModeWeight: number;
  /** The mixture is fitted on a seeded sample of at most this many rows per column. */
  fitRows: number;
  /** Variational EM stops after this many iterations... */
  maxIterations: number;
  /** ...or when the lower bound improves by less than this per iteration. */
  tolerance: number;
  /**
   * A value that holds at least this share of a numeric column's present rows, less the rows
   * of its more frequent point masses, gets an exact mode of its own (Adult's capital-gain is
   * 91.7% zeros, and 15024 is 13% of the rest); 1 turns this off.
   */
  pointMassShare: number;
  /** Most point masses per numeric column; 0 turns them off. */
  maxPointMasses: number;
  /**
   * Put each numeric column's modes (point masses, mixture components, null) into the
   * condition vector beside the discrete columns' categories, so that training-by-sampling
   * also picks a numeric column and one of its modes, and the generator learns the rows of
   * rare modes (Adult's capital gains of 15024 or 99999) as it learns rare categories. Not in
   * the CTGAN paper; CTAB-GAN conditions on modes the same way. Measured in docs/quality.md.
   */
  conditionOnModes: boolean;
}

/** Network sizes and the GAN's fixed hyper-parameters. */
export interface ModelConfig {
  /** Width of the generator's noise input. */
  noiseDim: number;
  /** Widths of the generator's residual blocks. */
  generatorDims: number[];
  /** Widths of the discriminator's hidden layers. */
  discriminatorDims: number[];
  /** Rows per discriminator pack (PacGAN); the batch size must be a multiple of it. */
  pac: number;
  /** Dropout rate in the discriminator. */
  dropout: number;
  /** Negative slope of the discriminator's LeakyReLU. */
  leakySlope: number;
  /** Gumbel-softmax temperature on one-hot spans. */
  gumbelTau: number;
}

/** The training loop: optimization, logging, checkpoints. */
export interface TrainingConfig {
  epochs: number;
  /** Rows per step; a multiple of model.pac. */
  batchSize: number;
  /** Discriminator updates per generator update. */
  discriminatorSteps: number;
  generatorLr: number;
  discriminatorLr: number;
  /** Adam's beta1 and beta2. */
  betas: [number, number];
  /** L2 weight decay added to the generator's gradients, as PyTorch's Adam does. */
  generatorDecay: number;
  /** L2 weight decay added to the discriminator's gradients. */
  discriminatorDecay: number;
  /** Weight of the WGAN gradient penalty. */
  gradientPenalty: number;
  /**
   * The sampled generator is an exponential moving average of the generator's weights with
   * this decay per step (spanning the last ~1 / (1 - decay) steps); 0 samples the last weights,
   * as the Python CTGAN does. Evens out the epoch-to-epoch swings of GAN training.
   */
  generatorAverageDecay: number;
  /** Seed of every random stream of the run. */
  seed: number;
  /** Which tfjs backend to run on. */
  backend: BackendName;
  /** Seconds between progress lines. */
  logEverySeconds: number;
  /** Write a checkpoint every this many epochs. */
  checkpointEvery: number;
  /** Also write one when this many minutes passed since the last; null turns it off. */
  checkpointMinutes: number | null;
  /** How many checkpoints to keep, newest first. */
  keepCheckpoints: number;
}

/** Defaults for `tabsynth sample`. */
export interface SamplingConfig {
  /** Rows generated per generator call. */
  batchSize: number;
}

/** Where the run is written. */
export interface OutputConfig {
  /** The run directory: checkpoints, history, model bundle. */
  dir: string;
}

/** Scoring the trained model at the end of training. */
export interface EvaluationConfig {
  /** Rows to sample and score against the training table; 0 turns it off. */
  rows: number;
}

/** A whole run configuration, as saved in the run directory. */
export interface RunConfig {
  data: DataConfig;
  transform: TransformConfig;
  model: ModelConfig;
  training: TrainingConfig;
  sampling: SamplingConfig;
  output: OutputConfig;
  evaluation: EvaluationConfig;
}
