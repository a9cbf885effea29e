import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentCommandPort, AgentCommandRequest, AgentCommandResult, Ec2Answers, InstanceFactsSource } from '../../functions/use-cases/ports';

const fixtures = join(__dirname, 'fixtures');
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

/** Captured from the ubuntu-24.04 lab by fixtures/capture-lab-fixtures.ts: real agent output. */
export const LAB_INSTANCE_ID = 'i-0e1ab00000000a1b2';
export const labAnswers = (): Ec2Answers => ({
  describeNetworkInterfaces: readJson('lab-describe-network-interfaces.json'),
  describeSubnets: readJson('lab-describe-subnets.json'),
});
export const labInspectResult = (): AgentCommandResult => readJson('lab-inspect-result.json') as AgentCommandResult;
export const labApplyResult = (): AgentCommandResult => readJson('lab-apply-result.json') as AgentCommandResult;

/** The after-state the real apply printed, as an inspect would print it. */
export function inspectResultOfAfterState(): AgentCommandResult {
  const applied = JSON.parse(labApplyResult().StandardOutputContent) as { after: unknown };
  return { ...labInspectResult(), StandardOutputContent: JSON.stringify(applied.after) };
}

export function factsSourceOf(answers: Ec2Answers): InstanceFactsSource & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    describeInstance: async (instanceId) => {
      asked.push(instanceId);
      return answers;
    },
  };
}

/** An in-memory agent: answers each mode with a canned GetCommandInvocation result and records the requests. */
export function agentOf(results: { inspect: AgentCommandResult; apply?: AgentCommandResult }): AgentCommandPort & { readonly requests: AgentCommandRequest[] } {
  const requests: AgentCommandRequest[] = [];
  return {
    requests,
    run: async (request) => {
      requests.push(request);
      const result = request.parameters.Mode === 'inspect' ? results.inspect : results.apply;
      if (result === undefined) throw new Error(`unexpected ${request.parameters.Mode}`);
      return result;
    },
  };
}
