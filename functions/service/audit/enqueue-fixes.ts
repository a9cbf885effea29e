import type { LoggerPort } from '../../use-cases/ports';
import type { InstanceAudit } from './audit-report';
import type { RemediationQueuePort } from './audit-ports';

/**
 * Fix mode: one remediation job per drifted instance on the remediation queue, so an audit's fix takes the
 * path an event's does (per-instance order, the same planner, cleanup of ENIs detached meanwhile included).
 */
export async function enqueueFixes(
  instances: readonly InstanceAudit[],
  queue: RemediationQueuePort | undefined,
  audit: { readonly auditId: string; readonly at: Date },
  logger: LoggerPort,
): Promise<InstanceAudit[]> {
  const { auditId } = audit;
  const drifted = instances.filter((instance) => instance.status === 'drift').map((instance) => instance.instanceId);
  if (drifted.length === 0) return [...instances];
  let failures: ReadonlyMap<string, string | null>;
  try {
    if (queue === undefined) throw new Error('no remediation queue'); // auditFleet refuses this before sending anything
    failures = await queue.enqueueAll(
      drifted.map((instanceId) => ({ schemaVersion: 1, eventId: auditId, trigger: 'Audit', instanceId, eventTime: audit.at.toISOString() })),
    );
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    failures = new Map(drifted.map((instanceId) => [instanceId, reason]));
  }
  const failed = [...failures.values()].filter((reason) => reason !== null).length;
  logger.info('remediations enqueued', { auditId, enqueued: drifted.length - failed, failed });
  return instances.map((instance) => {
    if (instance.status !== 'drift') return instance;
    const error = failures.get(instance.instanceId) ?? null;
    return { ...instance, remediation: error === null ? { enqueued: true } : { enqueued: false, error } };
  });
}
