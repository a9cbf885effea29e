import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import type { Context } from 'aws-lambda';
import { METRIC, logger, metrics } from '../commons/powertools';
import { reasonOfIssues } from '../commons/reason-of-issues';
import { withPowertools } from '../commons/with-powertools';
import { intakeEvent } from '../service/intake-event';
import { originMismatch } from './check-origin';
import { intakeDeps } from './intake-deps';
import { IntakeEventSchema, toIntakeEvent } from './intake-event-schema';

export interface IntakeSummary {
  readonly accepted: boolean;
  readonly jobs: number;
  readonly reason?: string;
}

/**
 * EventBridge → zero or more jobs on the FIFO queue. A malformed or foreign event is logged with the
 * reason, counted, and returned (never thrown: a retry cannot fix it, and nothing is enqueued).
 */
export async function intake(event: unknown, context: Context): Promise<IntakeSummary> {
  const deps = intakeDeps();
  metrics.addMetric(METRIC.eventsReceived, MetricUnit.Count, 1);
  const parsed = parse(event, undefined, IntakeEventSchema, true);
  if (!parsed.success) return reject(`malformed: ${reasonOfIssues(parsed.error.cause)}`);
  const foreign = originMismatch(parsed.data, context, deps.region);
  if (foreign !== null) return reject(`foreign: ${foreign}`);

  const accepted = toIntakeEvent(parsed.data);
  logger.setCorrelationId(accepted.eventId);
  logger.info('event accepted', { change: accepted.change.kind, ...idsOf(accepted.change) });
  const outcome = await intakeEvent(accepted, deps);
  metrics.addMetric(METRIC.jobsEnqueued, MetricUnit.Count, outcome.jobs.length);
  if (outcome.leftToAudit) metrics.addMetric(METRIC.eventsLeftToAudit, MetricUnit.Count, 1);
  return { accepted: true, jobs: outcome.jobs.length };
}

function reject(reason: string): IntakeSummary {
  logger.warn('event rejected', { reason });
  metrics.addMetric(METRIC.eventsRejected, MetricUnit.Count, 1);
  return { accepted: false, jobs: 0, reason };
}

function idsOf(change: object): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const key of ['instanceId', 'eniId', 'attachmentId'] as const) if (key in change) ids[key] = String((change as Record<string, unknown>)[key]);
  return ids;
}

export const handler = withPowertools(intake);
