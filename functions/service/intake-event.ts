import type { IntakeEvent } from './eni-change';
import type { AttachmentMapPort, AttachmentRef, InterfaceLookupPort, JobQueuePort, ServiceLogger } from './ports';
import { rememberAttachments } from './remember-attachments';
import type { RemediationJob } from './remediation-job';

export interface IntakeDeps {
  readonly interfaces: InterfaceLookupPort;
  readonly attachments: AttachmentMapPort;
  readonly queue: JobQueuePort;
  readonly logger: ServiceLogger;
}

export interface IntakeOutcome {
  readonly jobs: readonly RemediationJob[];
  /** true when the instance could not be resolved and the change is left to the audit */
  readonly leftToAudit: boolean;
}

/**
 * One accepted event → zero or more jobs, one per instance. Attach and RunInstances teach the
 * attachment map first, so a later Detach (whose ENI may already be gone) still finds its instance.
 */
export async function intakeEvent(event: IntakeEvent, deps: IntakeDeps): Promise<IntakeOutcome> {
  const targets = await targetsOf(event, deps);
  if (targets === null) {
    deps.logger.warn('instance not resolved, left to audit', { kind: event.change.kind });
    return { jobs: [], leftToAudit: true };
  }
  const jobs = dedupe(targets).map((target) => jobOf(event, target));
  for (let start = 0; start < jobs.length; start += ENQUEUE_CONCURRENCY) {
    await Promise.all(
      jobs.slice(start, start + ENQUEUE_CONCURRENCY).map(async (job) => {
        await deps.queue.enqueue(job);
        deps.logger.info('job enqueued', { instanceId: job.instanceId, eniId: job.eniId, trigger: job.trigger });
      }),
    );
  }
  return { jobs, leftToAudit: false };
}

// A CreateTags may name 1,000 instances (EC2's limit a call): that many SendMessage round trips one
// after another can outlast the intake's 30 s timeout. A few in flight bound it; the queue is
// high-throughput FIFO (limits per message group) and each job is its own group. A failure fails the
// event; EventBridge's retry sends again and the deduplication ids drop the jobs already queued.
const ENQUEUE_CONCURRENCY = 10;

type Target = Pick<RemediationJob, 'instanceId' | 'eniId' | 'attachmentId'>;

async function targetsOf(event: IntakeEvent, deps: IntakeDeps): Promise<Target[] | null> {
  const { change } = event;
  switch (change.kind) {
    case 'attached':
      await rememberAttachments([change], deps);
      return [change];
    case 'launched': {
      const refs = change.instances.flatMap(({ instanceId, attachments }) => attachments.map((a) => ({ ...a, instanceId })));
      await rememberAttachments(refs, deps);
      return change.instances.map(({ instanceId }) => ({ instanceId }));
    }
    case 'running':
      return [{ instanceId: change.instanceId }];
    case 'managed-tag-changed':
      if (change.instanceIds.length === 0) deps.logger.info('tag change touches no instance\'s eni-pbr:managed tag: nothing to do', { trigger: change.trigger });
      return change.instanceIds.map((instanceId) => ({ instanceId }));
    case 'addresses-changed': {
      const ref = await deps.interfaces.findByInterface(change.eniId);
      return ref === null ? null : [ref];
    }
    case 'detached': {
      const ref = await resolveDetached(change.attachmentId, deps);
      return ref === null ? null : [ref];
    }
  }
}

/** EC2 first (the ENI may still be `detaching`), then the map; by then the ENI is usually gone. */
async function resolveDetached(attachmentId: string, deps: IntakeDeps): Promise<AttachmentRef | null> {
  const live = await deps.interfaces.findByAttachment(attachmentId);
  if (live !== null) return live;
  const remembered = await deps.attachments.lookup(attachmentId);
  if (remembered !== null) deps.logger.info('detached attachment found in the map', { attachmentId, instanceId: remembered.instanceId });
  return remembered;
}

function dedupe(targets: readonly Target[]): Target[] {
  const seen = new Map<string, Target>();
  for (const target of targets) if (!seen.has(target.instanceId)) seen.set(target.instanceId, target);
  return [...seen.values()];
}

function jobOf(event: IntakeEvent, target: Target): RemediationJob {
  const { change } = event;
  const trigger: RemediationJob['trigger'] =
    change.kind === 'attached' ? 'AttachNetworkInterface'
    : change.kind === 'detached' ? 'DetachNetworkInterface'
    : change.kind === 'launched' ? 'RunInstances'
    : change.kind === 'running' ? 'InstanceRunning'
    : change.trigger;
  return {
    schemaVersion: 1,
    eventId: event.eventId,
    trigger,
    instanceId: target.instanceId,
    ...(target.eniId === undefined ? {} : { eniId: target.eniId }),
    ...(target.attachmentId === undefined ? {} : { attachmentId: target.attachmentId }),
    eventTime: event.eventTime,
  };
}
