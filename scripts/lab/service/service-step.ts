import type { EndpointCall } from '../aws-endpoint/aws-endpoint';
import type { BusEvent } from '../aws-endpoint/events/event-bus';
import type { InvocationRecord } from '../lambda-harness/lambda-environment';
import type { ServiceSession } from './service-session';

export const RESULT_DETAIL_TYPE = 'ENI PBR Remediation Result';

/** Everything one EC2 change set off, from its CloudTrail event to the service going idle. */
export interface StepOutcome {
  readonly cloudTrail: BusEvent;
  readonly cloudTrailAt: number;
  /** the last `ENI PBR Remediation Result` for this event (after any retries), if one was published */
  readonly result?: Record<string, unknown>;
  readonly resultAt?: number;
  readonly invocations: readonly InvocationRecord[];
  readonly calls: readonly EndpointCall[];
}

/**
 * Makes one EC2 call as an operator would, then waits until the service is idle (every invocation done,
 * the queue empty: retried jobs included, until they succeed or reach the DLQ).
 */
export async function driveStep(session: ServiceSession, change: () => Promise<unknown>): Promise<StepOutcome> {
  const { endpoint, harness } = session;
  const marks = { events: endpoint.events.recorded.length, invocations: harness.invocations.length, calls: endpoint.calls.length };
  await change();
  await harness.idle();
  const events = endpoint.events.recorded.slice(marks.events);
  const trail = events.find((entry) => entry.event.source === 'aws.ec2');
  if (trail === undefined) throw new Error('the EC2 call emitted no CloudTrail event');
  const eventId = trail.event.detail.eventID;
  const results = events.filter((entry) => entry.event['detail-type'] === RESULT_DETAIL_TYPE && entry.event.detail.eventId === eventId);
  const last = results.at(-1);
  return {
    cloudTrail: trail.event,
    cloudTrailAt: trail.receivedAt,
    ...(last ? { result: last.event.detail, resultAt: last.receivedAt } : {}),
    invocations: harness.invocations.slice(marks.invocations),
    calls: endpoint.calls.slice(marks.calls),
  };
}
