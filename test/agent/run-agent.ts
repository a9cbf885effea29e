import { runDocumentLocally, type CommandInvocationResult } from '../../functions/adapters/local-runner/run-document-locally';
import { decodeApplyOutput, decodeInspectOutput, type ApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { enterUserland } from '../compat/userland';

export const HEADER = 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999';

/** The plan text for these operation lines, header first, as the planner would send it. */
export const planOf = (...lines: string[]): string => `${[HEADER, ...lines].join('\n')}\n`;

export async function inspectHost(ns: string): Promise<Record<string, unknown>> {
  const run = await runDocumentLocally({ netns: ns, parameters: { Mode: 'inspect' }, timeoutMs: 30_000, enter: enterUserland() });
  if (run.Status !== 'Success') throw new Error(`inspect failed: ${run.ResponseCode} ${run.StandardErrorContent}`);
  return decodeInspectOutput(run.StandardOutputContent) as Record<string, unknown>;
}

export async function applyPlan(
  ns: string,
  planText: string,
  agentStyle: 'env-var' | 'legacy' = 'env-var',
): Promise<{ run: CommandInvocationResult; output: ApplyOutput }> {
  const run = await runDocumentLocally({
    netns: ns,
    parameters: { Mode: 'apply', Plan: encodePlanParameter(planText) },
    timeoutMs: 60_000,
    agentStyle,
    enter: enterUserland(),
  });
  return { run, output: decodeApplyOutput(run.StandardOutputContent) };
}
