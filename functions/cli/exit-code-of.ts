import { AgentOutputError } from '../agent-protocol/agent-output-error';
import { PlanParameterTooLargeError } from '../agent-protocol/encode-plan-parameter';
import { CommandTooLargeError } from '../agent-protocol/ssm-size-budget';
import { LocalRunError } from '../adapters/local-runner/run-document-locally';
import { ParameterValidationError } from '../adapters/local-runner/substitute-parameters';
import { InvalidEc2FactsError } from '../core/ec2/invalid-ec2-facts-error';
import { InvalidInspectDocumentError } from '../core/observed/invalid-inspect-document-error';
import { InvalidPlanOptionsError } from '../core/planner/invalid-plan-options-error';
import { AgentCommandError } from '../use-cases/agent-command-error';
import { InvalidInputError, UsageError } from './cli-errors';
import { EXIT, type ExitCode } from './exit-codes';

/** The one place errors become exit codes. An inspect document the core refuses counts as the agent's failure: the operator did not write it. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof InvalidInputError || error instanceof InvalidEc2FactsError || error instanceof InvalidPlanOptionsError || error instanceof LocalRunError) {
    return EXIT.invalidInput;
  }
  if (
    error instanceof AgentCommandError ||
    error instanceof AgentOutputError ||
    error instanceof InvalidInspectDocumentError ||
    error instanceof ParameterValidationError ||
    error instanceof PlanParameterTooLargeError ||
    error instanceof CommandTooLargeError
  ) {
    return EXIT.agentFailure;
  }
  return EXIT.internal;
}

/** One line for the operator, plus the agent's stderr tail when there is one. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `eni-pbr: ${String(error)}`;
  const lines = [`eni-pbr: ${error.message}`];
  let cause = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth += 1) {
    lines.push(`  caused by: ${cause.message.split('\n')[0]}`);
    cause = cause.cause;
  }
  if (error instanceof AgentCommandError && error.stderr.trim() !== '') lines.push('agent stderr:', error.stderr.trimEnd());
  return `${lines.join('\n')}\n`;
}
