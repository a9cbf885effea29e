import { AgentOutputError } from '../../agent-protocol/agent-output-error';
import { decodeInspectOutput } from '../../agent-protocol/decode-agent-output';
import { InvalidEc2FactsError } from '../../core/ec2/invalid-ec2-facts-error';
import type { ManagerName } from '../../core/model/finding';
import type { PlanOptions } from '../../core/model/plan-options';
import { InvalidInspectDocumentError } from '../../core/observed/invalid-inspect-document-error';
import { parseInspectDocument } from '../../core/observed/parse-inspect-document';
import { parseInstanceFacts } from '../../core/ec2/parse-instance-facts';
import { planRemediation } from '../../core/planner/plan-remediation';
import { describeFinding, describeOperation } from '../../core/report/summarize-plan';
import type { InstanceAudit } from './audit-report';

export interface InstanceEvidence {
  readonly instanceId: string;
  /** this instance's ENIs and the subnets they sit in, SDK shapes */
  readonly networkInterfaces: readonly unknown[];
  readonly subnets: readonly unknown[];
  /** the agent's inspect stdout */
  readonly stdout: string;
}

/** EC2 facts + the agent's inspect output → the instance's audit line. The same planner remediation runs. */
export function judgeInstance(evidence: InstanceEvidence, options: PlanOptions): InstanceAudit {
  const { instanceId } = evidence;
  let observed;
  try {
    observed = parseInspectDocument(decodeInspectOutput(evidence.stdout));
  } catch (error) {
    if (error instanceof AgentOutputError || error instanceof InvalidInspectDocumentError) {
      return { instanceId, status: 'unreachable', reason: `the agent's inspect output is unusable: ${error.message}` };
    }
    throw error;
  }
  let facts;
  try {
    facts = parseInstanceFacts({
      instanceId,
      describeNetworkInterfaces: { NetworkInterfaces: evidence.networkInterfaces },
      describeSubnets: { Subnets: evidence.subnets },
    });
  } catch (error) {
    if (error instanceof InvalidEc2FactsError) return { instanceId, status: 'error', hostname: observed.hostname, reason: error.message };
    throw error;
  }
  const plan = planRemediation(facts, observed, options);
  const satisfied = plan.findings.filter((finding) => finding.kind === 'satisfied-by-other');
  const notes = plan.findings.filter((finding) => finding.kind !== 'satisfied-by-other').map(describeFinding);
  const base = { instanceId, hostname: observed.hostname, ...(notes.length === 0 ? {} : { notes }) };
  if (plan.operations.length > 0) return { ...base, status: 'drift', missing: plan.operations.map(describeOperation) };
  if (satisfied.length === 0) return { ...base, status: 'compliant' };
  const managers = [...new Set(satisfied.map((finding) => finding.manager ?? 'unknown'))] as ManagerName[];
  return { ...base, status: 'satisfied', satisfiedBy: managers.sort() };
}
