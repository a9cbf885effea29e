/** The fields of SSM GetCommandInvocation the rest of eni-pbr reads, with SSM's names. */
export interface CommandInvocationResult {
  readonly Status: 'Success' | 'Failed' | 'TimedOut';
  readonly ResponseCode: number;
  readonly StandardOutputContent: string;
  readonly StandardErrorContent: string;
}

/** GetCommandInvocation returns at most this much of each stream (the rest only goes to S3). */
export const STDOUT_LIMIT_CHARS = 24_000;
export const STDERR_LIMIT_CHARS = 8_000;

/** SSM reports a timed-out command with ResponseCode -1. */
export const TIMED_OUT_RESPONSE_CODE = -1;
