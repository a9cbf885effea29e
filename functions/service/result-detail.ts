import type { JobFailedError } from './job-errors';
import { messageOf } from './job-errors';
import type { JobResult } from './remediate-job';
import type { RemediationJob } from './remediation-job';

// EventBridge takes 256 KB per entry; a plan's text is a few KB, this bound keeps a huge one out.
const PLAN_TEXT_MAX_CHARS = 16_000;

/** The `detail` of an `ENI PBR Remediation Result` event (schemaVersion 1). */
export function successDetail(job: RemediationJob, mode: 'fix' | 'check', result: JobResult, durationMs: number): Record<string, unknown> {
  const report = result.report;
  return {
    ...common(job, mode, durationMs),
    outcome: result.outcome,
    reason: result.reason ?? null,
    operations: report?.operations.length ?? 0,
    findings: report?.findings.map((finding) => ({ kind: finding.kind, subject: finding.subject })) ?? [],
    planText: report === undefined ? null : report.planText.slice(0, PLAN_TEXT_MAX_CHARS),
    applied: report?.applied ?? null,
    remaining: report?.remaining.length ?? 0,
    removal: result.removal ?? null,
    sourceDestCheck: result.sourceDest,
  };
}

export function failureDetail(job: RemediationJob, mode: 'fix' | 'check', failure: JobFailedError, durationMs: number): Record<string, unknown> {
  return {
    ...common(job, mode, durationMs),
    outcome: failure.unreachable ? 'unreachable' : 'failed',
    retrying: failure.retryable,
    error: messageOf(failure.cause).slice(0, PLAN_TEXT_MAX_CHARS),
  };
}

function common(job: RemediationJob, mode: 'fix' | 'check', durationMs: number): Record<string, unknown> {
  return { schemaVersion: 1, instanceId: job.instanceId, eventId: job.eventId, trigger: job.trigger, eniId: job.eniId ?? null, mode, durationMs: Math.round(durationMs) };
}
