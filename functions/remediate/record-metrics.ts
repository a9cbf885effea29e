import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC, metrics } from '../commons/powertools';
import type { JobFailedError } from '../service/job-errors';
import type { JobOutcome } from '../service/remediate-job';

const OUTCOME_METRIC: Readonly<Record<JobOutcome, string>> = {
  skipped: METRIC.instancesSkipped,
  compliant: METRIC.instancesCompliant,
  remediated: METRIC.instancesRemediated,
  // check mode found gaps, drift left after an apply: neither is compliant, both need a look
  pending: METRIC.instancesFailed,
  'drift-left': METRIC.instancesFailed,
  // another run changed the host first (compare-and-swap): nothing applied, not a failure (issue 14)
  stale: METRIC.instancesSkipped,
  removed: METRIC.instancesRemoved,
};

export function recordOutcome(outcome: JobOutcome, durationMs: number): void {
  metrics.addMetric(OUTCOME_METRIC[outcome], MetricUnit.Count, 1);
  metrics.addMetric(METRIC.remediationDuration, MetricUnit.Milliseconds, durationMs);
}

export function recordFailure(failure: JobFailedError): void {
  metrics.addMetric(failure.unreachable ? METRIC.instancesUnreachable : METRIC.instancesFailed, MetricUnit.Count, 1);
}
