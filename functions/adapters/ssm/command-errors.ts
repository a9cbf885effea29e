/** SSM never reported a final status within our bound; the command was cancelled (best effort). */
export class CommandTimedOutError extends Error {
  override readonly name = 'CommandTimedOutError';

  constructor(
    readonly commandId: string,
    readonly instanceId: string,
    readonly waitedSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`command ${commandId} on ${instanceId} had no final status after ${waitedSeconds} s; cancelled`, options);
  }
}

/** SSM could not run the document on the instance at all: not delivered, delivery or execution timed out, cancelled. */
export class CommandNotRunError extends Error {
  override readonly name = 'CommandNotRunError';

  constructor(
    readonly commandId: string,
    readonly instanceId: string,
    readonly status: string,
    readonly statusDetails: string,
  ) {
    super(`command ${commandId} on ${instanceId} ended ${status} (${statusDetails})`);
  }
}
