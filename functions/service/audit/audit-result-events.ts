import type { AuditReport, InstanceAudit } from './audit-report';
import { packBySize } from './pack-by-size';

export const AUDIT_RESULT_DETAIL_TYPE = 'ENI PBR Audit Result';

/**
 * PutEvents takes entries of ≤ 256 KB (262,144 bytes, Source + DetailType + Detail counted). A report
 * for a thousand instances is larger, so it goes out as one summary entry and numbered chunks of
 * instances, each chunk's detail under this budget (room left for the envelope fields).
 */
export const MAX_DETAIL_BYTES = 240_000;
// One instance past this is cut to counts: a report line must never make its chunk unpublishable.
const MAX_INSTANCE_BYTES = 60_000;

export type AuditResultDetail =
  | { readonly kind: 'summary'; readonly auditId: string; readonly mode: string; readonly startedAt: string; readonly durationMs: number; readonly summary: AuditReport['summary']; readonly chunks: number }
  | { readonly kind: 'instances'; readonly auditId: string; readonly chunk: number; readonly chunks: number; readonly instances: readonly InstanceAudit[] };

/** The report as EventBridge details: the summary first, then the instances in chunks that each fit an entry. */
export function auditResultDetails(report: AuditReport): AuditResultDetail[] {
  // + 1: the comma between two instances in the list
  const groups = packBySize(report.instances.map(bounded), (instance) => byteLength(instance) + 1, { maxBytes: MAX_DETAIL_BYTES - ENVELOPE_BYTES });
  const chunks = groups.length;
  const { auditId, mode, startedAt, durationMs, summary } = report;
  return [
    { kind: 'summary', auditId, mode, startedAt, durationMs, summary, chunks },
    ...groups.map((instances, index) => ({ kind: 'instances' as const, auditId, chunk: index + 1, chunks, instances })),
  ];
}

// {"kind":"instances","auditId":"<uuid>","chunk":N,"chunks":N,"instances":[…]} around the list.
const ENVELOPE_BYTES = 200;

function bounded(instance: InstanceAudit): InstanceAudit {
  if (byteLength(instance) <= MAX_INSTANCE_BYTES) return instance;
  const { missing, notes, ...rest } = instance;
  const counts = `${missing?.length ?? 0} missing pieces and ${notes?.length ?? 0} notes left out of this event (too large); the audit's log and return value have them`;
  return { ...rest, notes: [counts] };
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
