// Named error classes: one per condition a caller can act on. User errors end the CLI with
// exit code 2 and one message; anything else is an internal error (exit 1).

/** Base class of the errors that a user causes and can fix: bad input, config or usage. */
export class UserError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 2;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** The input table (file, column, row or value) cannot be used as it is. */
export class InvalidDataError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidDataError';
  }
}

/** The metadata (column types, orders, formats) disagrees with itself or with the table. */
export class InvalidMetadataError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidMetadataError';
  }
}

/** A configuration file or flag has an unknown key, a wrong type or an invalid value. */
export class ConfigError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The command line itself is wrong (missing flag, conflicting flags). */
export class UsageError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A checkpoint, run directory or model bundle is missing, damaged or incompatible. */
export class CheckpointError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/** A requested backend is not installed or cannot start. */
export class BackendError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
  }
}

/** Training diverged (NaN or infinite loss); the message names epoch and step. */
export class TrainingDivergedError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainingDivergedError';
  }
}

/** An object was used before `fit` (or `load`) gave it its state. Internal error. */
export class NotFittedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFittedError';
  }
}

/** A tensor or array does not have the shape a module boundary expects. Internal error. */
export class ShapeMismatchError extends Error {
  constructor(what: string, expected: readonly number[] | string, actual: readonly number[]) {
    const want = typeof expected === 'string' ? expected : `[${expected.join(', ')}]`;
    super(`${what}: expected shape ${want}, got [${actual.join(', ')}]`);
    this.name = 'ShapeMismatchError';
  }
}

/** True when `error` is one the user can fix (exit code 2). */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
