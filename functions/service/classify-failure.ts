import { AgentOutputError } from '../agent-protocol/agent-output-error';
import { PlanParameterTooLargeError } from '../agent-protocol/encode-plan-parameter';
import { CommandTooLargeError } from '../agent-protocol/ssm-size-budget';
import { InvalidEc2FactsError } from '../core/ec2/invalid-ec2-facts-error';
import { InvalidPlanOptionsError } from '../core/planner/invalid-plan-options-error';
import { AgentCommandError } from '../use-cases/agent-command-error';
import { AgentUnreachableError, InstanceGoneError } from './job-errors';

// Agent exit codes a later run can get past (docs/agent-protocol.md): 4 the lock was busy, 5 an
// operation failed and the snapshot was restored (e.g. racing cloud-init's hotplug). 2, 3, 6 and 7 are
// a bad plan, a broken host or a missing tool: retrying sends the same thing to the same host.
const RETRYABLE_EXIT_CODES = new Set([4, 5]);

// By name: adapter errors (the service does not import adapters) and SDK service errors.
const RETRYABLE_NAMES = new Set([
  'CommandTimedOutError',
  'CommandNotRunError',
  'PublishFailedError',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'InternalError',
  'InternalServerError',
  'TimeoutError',
]);

/**
 * Retryable: the job fails, SQS redelivers it, and after maxReceiveCount it lands in the DLQ.
 * Permanent: logged and counted, never retried — a retry cannot change the input, and retrying a
 * refused plan or a terminated instance is a retry storm. Unknown errors retry: the DLQ bounds them.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof InstanceGoneError) return false;
  if (error instanceof InvalidEc2FactsError || error instanceof AgentOutputError || error instanceof InvalidPlanOptionsError) return false;
  if (error instanceof CommandTooLargeError || error instanceof PlanParameterTooLargeError) return false;
  if (error instanceof AgentCommandError) return RETRYABLE_EXIT_CODES.has(error.responseCode);
  return true;
}

export function isUnreachable(error: unknown): boolean {
  return error instanceof AgentUnreachableError || (error instanceof Error && RETRYABLE_NAMES.has(error.name) && error.name.startsWith('Command'));
}

/** For logs: whether the error is one this classifier knows by name (anything else is "unexpected"). */
export function isKnownTransient(error: unknown): boolean {
  return error instanceof Error && RETRYABLE_NAMES.has(error.name);
}
