import type { RemediationReport } from '../use-cases/remediation-report';
import type { AgentCommandPort } from '../use-cases/ports';
import { remediateInstance } from '../use-cases/remediate-instance';
import { isRetryable, isUnreachable } from './classify-failure';
import { managedDecision, sourceDestDecision } from './instance-tags';
import { InstanceGoneError, JobFailedError } from './job-errors';
import { logPlan } from './log-plan';
import type { AgentStatusPort, AttachmentMapPort, InstancePort, ServiceLogger } from './ports';
import { rememberAttachments } from './remember-attachments';
import type { RemediateSettings } from './remediate-settings';
import type { RemediationJob } from './remediation-job';
import { NO_SOURCE_DEST_CHANGE, disableSecondarySourceDestCheck, type SourceDestResult } from './source-dest-check';
import { waitUntilReady, type Clock } from './wait-until-ready';

export interface RemediateJobDeps {
  readonly instances: InstancePort;
  readonly agentStatus: AgentStatusPort;
  readonly agent: AgentCommandPort;
  readonly attachments: AttachmentMapPort;
  readonly logger: ServiceLogger;
  readonly clock: Clock;
}

export type JobOutcome = 'skipped' | 'compliant' | 'remediated' | 'pending' | 'drift-left';

export interface JobResult {
  readonly outcome: JobOutcome;
  readonly reason?: string;
  readonly report?: RemediationReport;
  readonly sourceDest: SourceDestResult;
}

// EC2 states in which the instance will never answer again.
const GONE_STATES = new Set(['shutting-down', 'terminated']);

/**
 * One job: state and tags → bounded wait for the agent and the attachments → the existing
 * remediateInstance (≤ 2 round trips; check mode is its dry run) → source/dest check on secondaries.
 * Any failure is rethrown as JobFailedError saying whether a retry through the queue can help.
 */
export async function remediateJob(job: RemediationJob, deps: RemediateJobDeps, settings: RemediateSettings): Promise<JobResult> {
  try {
    return await run(job, deps, settings);
  } catch (error) {
    throw new JobFailedError(job.instanceId, isRetryable(error), isUnreachable(error), { cause: error });
  }
}

async function run(job: RemediationJob, deps: RemediateJobDeps, settings: RemediateSettings): Promise<JobResult> {
  const { instanceId } = job;
  const instance = await deps.instances.readInstance(instanceId);
  if (instance === null || GONE_STATES.has(instance.state)) throw new InstanceGoneError(`instance ${instanceId} is ${instance?.state ?? 'unknown to EC2'}`);
  if (instance.state !== 'running') return skipped(`instance is ${instance.state}; its running event brings it back`);
  const managed = managedDecision(instance.tags, settings.managedTagMode);
  if (!managed.managed) return skipped(managed.reason);

  const snapshot = await waitUntilReady(instanceId, deps, { waitSeconds: settings.agentWaitSeconds, pollMs: settings.readyPollMs });
  await rememberAttachments(snapshot.interfaces, deps);
  const facts = { describeInstance: async () => ({ describeNetworkInterfaces: snapshot.raw, describeSubnets: await deps.instances.describeSubnets(snapshot.interfaces.map((eni) => eni.subnetId)) }) };
  const dryRun = settings.mode === 'check';
  const report = await remediateInstance({ instanceId, dryRun, planOptions: settings.planOptions }, { facts, agent: deps.agent, logger: deps.logger });
  logPlan(report, deps.logger);

  const sourceDestChoice = sourceDestDecision(instance.tags, settings.disableSourceDestCheck);
  if (sourceDestChoice.note !== undefined) deps.logger.warn('source/dest tag not applied', { instanceId, note: sourceDestChoice.note });
  const sourceDest = sourceDestChoice.disable ? await disableSecondarySourceDestCheck(snapshot.interfaces, !dryRun, deps) : NO_SOURCE_DEST_CHANGE;
  return { outcome: outcomeOf(report), report, sourceDest };
}

function skipped(reason: string): JobResult {
  return { outcome: 'skipped', reason, sourceDest: NO_SOURCE_DEST_CHANGE };
}

function outcomeOf(report: RemediationReport): JobOutcome {
  switch (report.outcome) {
    case 'dry-run-clean':
      return 'compliant';
    case 'dry-run-pending':
      return 'pending';
    case 'drift-left':
      return 'drift-left';
    case 'verified':
      return report.applied === null ? 'compliant' : 'remediated';
  }
}
