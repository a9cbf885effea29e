import { z } from 'zod';
import { AttachmentIdSchema, EniIdSchema, InstanceIdSchema } from './aws-ids';

/** What triggered a job; the remediation is the same for all, the field is for logs and results. */
export const JOB_TRIGGERS = [
  'AttachNetworkInterface',
  'DetachNetworkInterface',
  'AssignPrivateIpAddresses',
  'UnassignPrivateIpAddresses',
  'AssignIpv6Addresses',
  'UnassignIpv6Addresses',
  'RunInstances',
  'InstanceRunning',
  'CreateTags', // eni-pbr:managed set or deleted: the instance is looked at again; opted out, eni-pbr is removed
  'DeleteTags',
  'Audit', // a fix-mode audit found drift; eventId is the audit's id
] as const;

/**
 * One message on the FIFO queue: "bring this instance's routing in line". Versioned so a deploy that
 * changes the shape never lets the new remediate function misread a message the old intake sent.
 */
export const RemediationJobSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** CloudTrail eventID (or the EventBridge event id for a state change): the correlation id. */
  eventId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  trigger: z.enum(JOB_TRIGGERS),
  instanceId: InstanceIdSchema,
  eniId: EniIdSchema.optional(),
  attachmentId: AttachmentIdSchema.optional(),
  /** When the change happened (the event's time), ISO 8601. */
  eventTime: z.iso.datetime(),
});

export type RemediationJob = z.output<typeof RemediationJobSchema>;
