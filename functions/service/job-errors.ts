/** The instance is gone or going (terminated, shutting-down, unknown to EC2): nothing to route for. */
export class InstanceGoneError extends Error {
  override readonly name = 'InstanceGoneError';
}

/** The SSM Agent was not Online within the bounded wait; the queue retries the job later. */
export class AgentUnreachableError extends Error {
  override readonly name = 'AgentUnreachableError';

  constructor(
    readonly instanceId: string,
    readonly pingStatus: string | null,
    readonly waitedSeconds: number,
  ) {
    super(`SSM Agent on ${instanceId} is ${pingStatus ?? 'not registered'} after ${waitedSeconds} s`);
  }
}

/** An ENI is still `attaching` (or `detaching`) after the bounded wait; remediating now would plan from a moving target. */
export class AttachmentsPendingError extends Error {
  override readonly name = 'AttachmentsPendingError';

  constructor(
    readonly instanceId: string,
    readonly pending: readonly string[],
    readonly waitedSeconds: number,
  ) {
    super(`ENI attachments on ${instanceId} not settled after ${waitedSeconds} s: ${pending.join(', ')}`);
  }
}

/** What the remediate use case throws: the cause, and whether a retry through the queue can help. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';

  constructor(
    readonly instanceId: string,
    readonly retryable: boolean,
    readonly unreachable: boolean,
    options: { cause: unknown },
  ) {
    super(`remediation of ${instanceId} failed${retryable ? ', will retry' : ''}: ${messageOf(options.cause)}`, options);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
