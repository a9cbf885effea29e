import { AgentOutputError, decodeApplyOutput, decodeInspectOutput, type ApplyOutput } from '../agent-protocol/decode-agent-output';
import { STALE_PLAN_EXIT } from '../agent-protocol/apply-output';
import { decodeRemoveOutput, type RemoveResult } from '../agent-protocol/decode-remove-output';
import { AgentCommandError } from './agent-command-error';
import type { AgentCommandPort, AgentCommandResult } from './ports';

// Enough of stderr to say why, short enough for one log line and the CLI's message.
const STDERR_TAIL_CHARS = 2_000;

/** Runs `inspect` and returns the inspect document (envelope unwrapped), or throws AgentCommandError. */
export async function runInspect(agent: AgentCommandPort, instanceId: string): Promise<unknown> {
  const result = await agent.run({ instanceId, parameters: { Mode: 'inspect' } });
  if (!succeeded(result)) throw failure('inspect', result, 'agent inspect failed');
  return decodeInspectOutput(result.StandardOutputContent);
}

/**
 * Runs `apply` with an encoded plan; a refused or rolled-back plan is an AgentCommandError carrying the
 * agent's reason. A stale plan (the host moved on since its inspect: compare-and-swap) is no failure:
 * it comes back with status `stale` and no after-state, for the caller to report and re-plan later.
 */
export async function runApply(agent: AgentCommandPort, instanceId: string, encodedPlan: string): Promise<ApplyOutput> {
  const result = await agent.run({ instanceId, parameters: { Mode: 'apply', Plan: encodedPlan } });
  const stale = result.ResponseCode === STALE_PLAN_EXIT ? staleOutput(result.StandardOutputContent) : null;
  if (stale !== null) return stale;
  if (!succeeded(result)) {
    throw failure('apply', result, `agent apply failed${reasonOf(result.StandardOutputContent)}`);
  }
  const output = decodeApplyOutput(result.StandardOutputContent);
  if (output.result.status !== 'applied' && output.result.status !== 'unchanged') {
    throw failure('apply', result, `agent apply ended ${output.result.status}: ${output.result.error ?? 'no reason given'}`);
  }
  if (output.after === null) throw failure('apply', result, 'agent apply printed no after-state to verify');
  return output;
}

/**
 * Runs `remove`: everything eni-pbr installed on the instance undone (docs/agent-protocol.md, Remove).
 * `removed` or `unchanged` (nothing of eni-pbr's was there) come back; anything else is an
 * AgentCommandError carrying the agent's reason.
 */
export async function runRemove(agent: AgentCommandPort, instanceId: string): Promise<RemoveResult> {
  const result = await agent.run({ instanceId, parameters: { Mode: 'remove' } });
  const output = decodeRemoveOutput(result.StandardOutputContent);
  if (output === undefined || !succeeded(result) || (output.status !== 'removed' && output.status !== 'unchanged')) {
    const reason = output === undefined ? 'no remove result' : `${output.status}${output.error === null ? '' : `: ${output.error}`}`;
    throw failure('remove', result, `agent remove failed: ${reason}`);
  }
  return output;
}

function staleOutput(stdout: string): ApplyOutput | null {
  try {
    const output = decodeApplyOutput(stdout);
    return output.result.status === 'stale' ? output : null;
  } catch (error) {
    if (error instanceof AgentOutputError) return null;
    throw error;
  }
}

function succeeded(result: AgentCommandResult): boolean {
  return result.Status === 'Success' && result.ResponseCode === 0;
}

function failure(mode: 'inspect' | 'apply' | 'remove', result: AgentCommandResult, message: string): AgentCommandError {
  return new AgentCommandError(`${message} (status ${result.Status}, exit ${result.ResponseCode})`, {
    mode,
    status: result.Status,
    responseCode: result.ResponseCode,
    stderr: result.StandardErrorContent.slice(-STDERR_TAIL_CHARS),
  });
}

// A refused or rolled-back apply still prints its result JSON; its error text is the useful part.
function reasonOf(stdout: string): string {
  if (stdout.trim() === '') return '';
  try {
    const { result } = decodeApplyOutput(stdout);
    return `: ${result.status}${result.error === null ? '' : `: ${result.error}`}`;
  } catch (error) {
    if (error instanceof AgentOutputError) return '';
    throw error;
  }
}
