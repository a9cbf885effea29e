import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, METRIC, metrics } from '../commons/powertools';
import type { AuditReport } from '../service/audit/audit-report';

/** One structured log line per instance (Logs Insights can query them) and the run's metrics (EMF). */
export function recordAudit(report: AuditReport, unpublished: number): void {
  for (const instance of report.instances) logger.info('instance audited', { ...instance });
  if (unpublished > 0) logger.warn('audit result events not published', { unpublished });
  const { summary } = report;
  metrics.addMetric(METRIC.auditInstances, MetricUnit.Count, summary.total);
  metrics.addMetric(METRIC.auditCompliant, MetricUnit.Count, summary.compliant);
  metrics.addMetric(METRIC.auditSatisfied, MetricUnit.Count, summary.satisfied);
  metrics.addMetric(METRIC.auditDrift, MetricUnit.Count, summary.drift);
  metrics.addMetric(METRIC.auditUnreachable, MetricUnit.Count, summary.unreachable);
  metrics.addMetric(METRIC.auditSkipped, MetricUnit.Count, summary.skipped);
  metrics.addMetric(METRIC.auditErrors, MetricUnit.Count, summary.error);
  metrics.addMetric(METRIC.auditRemediationsEnqueued, MetricUnit.Count, summary.remediationsEnqueued);
  if (summary.compliancePercent !== null) metrics.addMetric(METRIC.auditCompliancePercent, MetricUnit.Percent, summary.compliancePercent);
  logger.info('audit summary', { mode: report.mode, durationMs: report.durationMs, ...summary });
}

// A synchronous invocation returns ≤ 6 MB; past this the per-instance details stay in the log and on the bus.
const MAX_RETURN_BYTES = 5_000_000;

/** The report as returned by the invocation: whole, or without the long lists when it would not fit. */
export function returnable(report: AuditReport): AuditReport {
  if (Buffer.byteLength(JSON.stringify(report), 'utf8') <= MAX_RETURN_BYTES) return report;
  return { ...report, instances: report.instances.map(({ missing, notes: _notes, ...rest }) => ({ ...rest, ...(missing === undefined ? {} : { notes: [`${missing.length} missing pieces: see the log`] }) })) };
}
