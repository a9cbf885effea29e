import type { ManagerName } from '../../core/model/finding';

/**
 * compliant    the plan is empty and eni-pbr's own config (or nothing) makes it so
 * satisfied    the plan is empty because existing config (cloud-init, ec2-net-utils, …) already routes right
 * drift        something is missing or stale: `missing` says what, in words
 * unreachable  the host could not be observed: agent offline, command not sent, failed, timed out, no output
 * skipped      not audited on purpose: opted out by tag, not Linux, not managed by SSM, …
 * error        observed, but eni-pbr could not judge it: its EC2 facts are invalid
 */
export const AUDIT_STATUSES = ['compliant', 'satisfied', 'drift', 'unreachable', 'skipped', 'error'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export interface InstanceAudit {
  readonly instanceId: string;
  readonly status: AuditStatus;
  readonly hostname?: string;
  /** drift: the operations a remediation would apply, in plain words */
  readonly missing?: readonly string[];
  /** what the planner noticed besides: config left alone, conflicts, excluded ENIs */
  readonly notes?: readonly string[];
  /** satisfied: whose config it is */
  readonly satisfiedBy?: readonly ManagerName[];
  /** unreachable, skipped, error: why, in words */
  readonly reason?: string;
  /** fix mode: whether a remediation job went onto the queue */
  readonly remediation?: { readonly enqueued: boolean; readonly error?: string };
}

export type AuditSummary = Readonly<Record<AuditStatus, number>> & {
  readonly total: number;
  /** (compliant + satisfied) / judged, in percent; null when nothing could be judged */
  readonly compliancePercent: number | null;
  readonly remediationsEnqueued: number;
};

export interface AuditReport {
  readonly auditId: string;
  readonly mode: 'check' | 'fix';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: AuditSummary;
  readonly instances: readonly InstanceAudit[];
}

export function summarize(instances: readonly InstanceAudit[]): AuditSummary {
  const counts = Object.fromEntries(AUDIT_STATUSES.map((status) => [status, 0])) as Record<AuditStatus, number>;
  for (const instance of instances) counts[instance.status] += 1;
  const good = counts.compliant + counts.satisfied;
  const judged = good + counts.drift;
  return {
    ...counts,
    total: instances.length,
    compliancePercent: judged === 0 ? null : Math.round((1000 * good) / judged) / 10,
    remediationsEnqueued: instances.filter((instance) => instance.remediation?.enqueued === true).length,
  };
}
