/** The command line itself is wrong: unknown command or option, missing value. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input the operator named cannot be used: a file that is not there or not JSON, a missing namespace. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
