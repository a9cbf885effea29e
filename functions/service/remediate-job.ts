import type { RemoveResult } from '../agent-protocol/decode-remove-output';
import type { RemediationReport } from '../use-cases/remediation-report';
import type { AgentCommandPort } from '../use-cases/ports';
import { remediateInstance } from '../use-cases/remediate-instance';
import { runRemove } from '../use-cases/run-agent-step';
import { isRetryable, isUnreachable } from './classify-failure';
import { managedDecision, sourceDestDecision } from './instance-tags';
import { InstanceGoneError, JobFailedError } from './job-errors';
import { logPlan } from './log-plan';
import type { AgentStatusPort, AttachmentMapPort, InstancePort, PendingRemovalPort, ServiceLogger } from './ports';
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
  readonly pendingRemovals: PendingRemovalPort;
  readonly logger: ServiceLogger;
  readonly clock: Clock;
}

// stale: the host's eni-pbr state changed between this job's inspect and apply (another run): nothing applied
// removed: the instance was opted out by a tag change; the agent's remove mode undid eni-pbr on it
export type JobOutcome = 'skipped' | 'compliant' | 'remediated' | 'pending' | 'drift-left' | 'stale' | 'removed';

export interface JobResult {
  readonly outcome: JobOutcome;
  readonly reason?: string;
  readonly report?: RemediationReport;
  readonly removal?: RemoveResult;
  readonly sourceDest: SourceDestResult;
}

// The jobs of a change to eni-pbr:managed: an instance they find opted out has eni-pbr removed.
const TAG_TRIGGERS: ReadonlySet<RemediationJob['trigger']> = new Set(['CreateTags', 'DeleteTags']);

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
  // the tags as EC2 has them now, not as the event said: a tag set back in between wins
  const managed = managedDecision(instance.tags, settings.managedTagMode);
  const optedOutNow = !managed.managed && managed.optedOut && TAG_TRIGGERS.has(job.trigger);
  if (instance.state !== 'running') {
    // no command reaches a stopped instance, and its boot unit would re-apply eni-pbr at the next start
    if (optedOutNow && settings.mode === 'fix') {
      await deps.pendingRemovals.mark(instanceId);
      return skipped(`instance is ${instance.state}; eni-pbr is removed at its next start (${managed.reason})`);
    }
    return skipped(`instance is ${instance.state}; its running event brings it back`);
  }
  if (!managed.managed) {
    if (optedOutNow) return removeEniPbr(instanceId, managed.reason, deps, settings);
    // opted out while stopped: the running event's job (or any later one) finds the removal waiting
    if (managed.optedOut && (await deps.pendingRemovals.isPending(instanceId))) return removeEniPbr(instanceId, `${managed.reason}, opted out while stopped`, deps, settings);
    return skipped(managed.reason);
  }
  if (TAG_TRIGGERS.has(job.trigger)) deps.logger.info('instance managed after the tag change: no removal, remediated instead', { instanceId, trigger: job.trigger });

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

/**
 * An instance just opted out: the agent's remove mode undoes everything eni-pbr installed on it (rules,
 * routes, addresses, nft, sysctl, the boot unit, the hooks, the recorded plan). Check mode only says
 * it would. The source/dest check eni-pbr may have switched off stays as it is: EC2 state, not the host's.
 */
async function removeEniPbr(instanceId: string, reason: string, deps: RemediateJobDeps, settings: RemediateSettings): Promise<JobResult> {
  if (settings.mode === 'check') return { outcome: 'pending', reason: `${reason}; check mode: eni-pbr not removed`, sourceDest: NO_SOURCE_DEST_CHANGE };
  await waitUntilReady(instanceId, deps, { waitSeconds: settings.agentWaitSeconds, pollMs: settings.readyPollMs });
  const removal = await runRemove(deps.agent, instanceId);
  await deps.pendingRemovals.clear(instanceId);
  deps.logger.info('eni-pbr removed', { instanceId, reason, status: removal.status, operations: removal.operations });
  return { outcome: 'removed', reason, removal, sourceDest: NO_SOURCE_DEST_CHANGE };
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
    case 'stale-plan':
      return 'stale';
    case 'verified':
      return report.applied === null ? 'compliant' : 'remediated';
  }
}
