import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { z } from 'zod';
import type { IntakeEvent } from '../service/eni-change';
import { InstanceIdSchema } from '../service/aws-ids';
import { MANAGED_TAG } from '../service/instance-tags';
import { AccountIdSchema, CloudTrailDetailSchema, EventIdSchema, RegionSchema, type CloudTrailDetail } from './cloudtrail-schemas';

const envelope = EventBridgeSchema.extend({ id: EventIdSchema, account: AccountIdSchema, region: RegionSchema });

const cloudTrailEvent = envelope.extend({
  source: z.literal('aws.ec2'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  detail: CloudTrailDetailSchema,
});

// `running` only: the rule asks for it, and a running instance is the one whose agent can answer.
const stateChangeEvent = envelope.extend({
  source: z.literal('aws.ec2'),
  'detail-type': z.literal('EC2 Instance State-change Notification'),
  detail: z.object({ 'instance-id': InstanceIdSchema, state: z.literal('running') }),
});

/** Every event the intake accepts; anything else fails here with the field that is wrong. */
export const IntakeEventSchema = z.discriminatedUnion('detail-type', [cloudTrailEvent, stateChangeEvent]);
export type ParsedIntakeEvent = z.output<typeof IntakeEventSchema>;

/** Parsed event → the intake's domain event; the CloudTrail record's own account/region and time win. */
export function toIntakeEvent(event: ParsedIntakeEvent): IntakeEvent {
  if (event['detail-type'] === 'EC2 Instance State-change Notification') {
    return { eventId: event.id, eventTime: event.time, account: event.account, region: event.region, change: { kind: 'running', instanceId: event.detail['instance-id'] } };
  }
  const { detail } = event;
  return { eventId: detail.eventID, eventTime: detail.eventTime, account: event.account, region: event.region, change: changeOf(detail) };
}

/** The CloudTrail record's own account and region, which must agree with the envelope's. */
export function recordOrigin(event: ParsedIntakeEvent): { account: string; region: string } | null {
  return event['detail-type'] === 'AWS API Call via CloudTrail' ? { account: event.detail.recipientAccountId, region: event.detail.awsRegion } : null;
}

function changeOf(detail: CloudTrailDetail): IntakeEvent['change'] {
  switch (detail.eventName) {
    case 'AttachNetworkInterface':
      return { kind: 'attached', instanceId: detail.requestParameters.instanceId, eniId: detail.requestParameters.networkInterfaceId, attachmentId: detail.responseElements.attachmentId };
    case 'DetachNetworkInterface':
      return { kind: 'detached', attachmentId: detail.requestParameters.attachmentId };
    case 'RunInstances':
      return {
        kind: 'launched',
        instances: detail.responseElements.instancesSet.items.map((item) => ({
          instanceId: item.instanceId,
          attachments: (item.networkInterfaceSet?.items ?? []).map((eni) => ({ eniId: eni.networkInterfaceId, attachmentId: eni.attachment.attachmentId })),
        })),
      };
    case 'CreateTags':
    case 'DeleteTags':
      return { kind: 'managed-tag-changed', trigger: detail.eventName, instanceIds: touchesManagedTag(detail) ? instancesOf(detail) : [] };
    default:
      return { kind: 'addresses-changed', trigger: detail.eventName, eniId: detail.requestParameters.networkInterfaceId };
  }
}

type TagsDetail = Extract<CloudTrailDetail, { eventName: 'CreateTags' | 'DeleteTags' }>;

/** The call set or deleted eni-pbr:managed; a DeleteTags without tags deletes every tag, that one too. */
function touchesManagedTag(detail: TagsDetail): boolean {
  const items = detail.requestParameters.tagSet?.items ?? [];
  return items.some((tag) => tag.key === MANAGED_TAG) || (detail.eventName === 'DeleteTags' && items.length === 0);
}

/** The instances among the tagged resources, each once (the schema has checked their form). */
function instancesOf(detail: TagsDetail): string[] {
  return [...new Set(detail.requestParameters.resourcesSet.items.map((item) => item.resourceId).filter((id) => id.startsWith('i-')))];
}
