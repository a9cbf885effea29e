import type { AuditReport } from '../service/audit/audit-report';
import { EXIT, type ExitCode } from './exit-codes';

/**
 * In the scheme of `remediate`: 0 nothing missing (or, with --fix, every drifted instance's job
 * enqueued), 1 drift pending (check) or a fix not enqueued, 4 some instance could not be inspected.
 */
export function auditExitCode(report: AuditReport): ExitCode {
  const pending = report.instances.some((line) => line.status === 'drift' && line.remediation?.enqueued !== true);
  if (pending) return EXIT.driftLeft;
  if (report.summary.unreachable + report.summary.error > 0) return EXIT.agentFailure;
  return EXIT.ok;
}
