import type { RemediationReport } from '../use-cases/remediation-report';
import type { ServiceLogger } from './ports';

/** The plan, and when one was applied every operation with the before/after state digests. */
export function logPlan(report: RemediationReport, logger: ServiceLogger): void {
  const { instanceId } = report;
  const operations = report.planText.split('\n').slice(1).filter((line) => line !== '');
  logger.info('plan', { instanceId, outcome: report.outcome, dryRun: report.dryRun, operations, findings: report.findings.map((f) => `${f.kind} ${f.subject}`) });
  if (report.applied !== null) {
    logger.info('operations applied', {
      instanceId,
      status: report.applied.status,
      applied: report.applied.operations,
      operations,
      before: report.applied.before,
      after: report.applied.after,
      remaining: report.remaining.length,
    });
  }
}
