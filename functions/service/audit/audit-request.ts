import { z } from 'zod';

/** A request the audit refuses: it names the field, and nothing has been sent or enqueued. */
export class InvalidAuditRequestError extends Error {
  override readonly name = 'InvalidAuditRequestError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One audit names at most this many instances; past it, select them by tag (one DescribeInstances filter). */
export const MAX_AUDIT_INSTANCE_IDS = 1_000;
/** Tags are ANDed into one DescribeInstances call; EC2 allows 50 tags per resource, ten filters are plenty. */
export const MAX_AUDIT_TAGS = 10;

// EC2 instance ids: 8 hex digits (before 2016) or 17.
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
// EC2's tag charset (letters, digits, spaces, _ . : / = + - @). It leaves out `*` and `?`, which an EC2
// filter value would read as wildcards: a tag value of `*` must not widen the audit to every instance.
const TAG_TEXT = /^[\p{L}\p{N} _.:/=+\-@]*$/u;

const tagKey = z.string().min(1).max(128).regex(TAG_TEXT, 'tag keys use letters, digits, spaces and _ . : / = + - @');
const tagValue = z.string().max(256).regex(TAG_TEXT, 'tag values use letters, digits, spaces and _ . : / = + - @');

export const AuditRequestSchema = z
  .strictObject({
    mode: z.enum(['check', 'fix']).default('check'),
    instanceIds: z
      .array(z.string().regex(INSTANCE_ID, 'not an EC2 instance id (i- and 8 or 17 hex digits)'))
      .min(1)
      .max(MAX_AUDIT_INSTANCE_IDS)
      .optional(),
    tags: z
      .record(tagKey, tagValue)
      .refine((tags) => Object.keys(tags).length >= 1, 'give at least one tag, or leave tags out')
      .refine((tags) => Object.keys(tags).length <= MAX_AUDIT_TAGS, `at most ${MAX_AUDIT_TAGS} tags`)
      .optional(),
    // The default fleet is instances with two ENIs or more; this adds the single-ENI ones, where config
    // left behind by an ENI detached while nobody listened can only be found by looking.
    includeSingleEni: z.boolean().default(false),
  });

export type AuditRequest = z.output<typeof AuditRequestSchema>;

export const AUDIT_REQUESTED_DETAIL_TYPE = 'ENI PBR Audit Requested';
export const AUDIT_SOURCE = 'eni-pbr';

/**
 * The three ways in: a console test event (the request itself), an EventBridge custom event (the request
 * in `detail`), or the schedule rule's constant input (the request itself). Anything else is refused.
 */
export function parseAuditRequest(event: unknown): AuditRequest {
  const request = isEventBridgeEnvelope(event) ? detailOf(event) : event;
  const parsed = AuditRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw new InvalidAuditRequestError(`invalid audit request: ${parsed.error.issues.map(describeIssue).join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

// `tags.team: …`; a bad record key says what is wrong with the key, not only that it is invalid.
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return path === '' ? message : `${path}: ${message}`;
}

function isEventBridgeEnvelope(event: unknown): event is Record<string, unknown> {
  return typeof event === 'object' && event !== null && 'detail-type' in event && 'source' in event;
}

function detailOf(event: Record<string, unknown>): unknown {
  if (event.source !== AUDIT_SOURCE || event['detail-type'] !== AUDIT_REQUESTED_DETAIL_TYPE) {
    throw new InvalidAuditRequestError(
      `not an audit request: source ${JSON.stringify(event.source)}, detail-type ${JSON.stringify(event['detail-type'])} (want ${AUDIT_SOURCE}, ${AUDIT_REQUESTED_DETAIL_TYPE})`,
    );
  }
  return event.detail ?? {};
}
