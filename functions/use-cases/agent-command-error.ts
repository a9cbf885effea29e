/** The agent document ran but did not succeed: non-zero exit, timeout, or SSM could not deliver it. */
export class AgentCommandError extends Error {
  override readonly name = 'AgentCommandError';
  readonly mode: 'inspect' | 'apply' | 'remove';
  readonly status: string;
  readonly responseCode: number;
  readonly stderr: string;

  constructor(
    message: string,
    details: { mode: 'inspect' | 'apply' | 'remove'; status: string; responseCode: number; stderr: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.mode = details.mode;
    this.status = details.status;
    this.responseCode = details.responseCode;
    this.stderr = details.stderr;
  }
}
