/** The agent's stdout is not what the protocol says: truncated, mixed with noise, or a different version. */
export class AgentOutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentOutputError';
  }
}

/** The agent measured its output past what GetCommandInvocation keeps and printed only its size. */
export class AgentOutputTooLargeError extends AgentOutputError {
  readonly chars: number;
  readonly limit: number;

  constructor(what: string, chars: number, limit: number) {
    super(`${what} takes ${chars} characters; stdout keeps ${limit}`);
    this.name = 'AgentOutputTooLargeError';
    this.chars = chars;
    this.limit = limit;
  }
}
