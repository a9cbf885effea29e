/** A deployment setting is missing or malformed; the message names the environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, problem: string, options?: { cause?: unknown }) {
    super(`setting ${variable} ${problem}`, options);
    this.variable = variable;
  }
}
