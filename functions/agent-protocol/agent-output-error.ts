/** The agent's stdout is not what the protocol says: truncated, mixed with noise, or a different version. */
export class AgentOutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentOutputError';
  }
}
