import { z } from 'zod';
import { AttachmentIdSchema, EniIdSchema, InstanceIdSchema } from '../service/aws-ids';

/**
 * The `detail` of the CloudTrail events the rules route here (shapes: ../../../shared/aws-facts.md).
 * Only the fields the intake reads are declared; every one of them is validated, the rest is stripped.
 * There is no built-in CloudTrail schema in Powertools, so these extend its EventBridgeSchema.
 */
export const AccountIdSchema = z.string().regex(/^\d{12}$/, 'not a 12-digit account id');
export const RegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'not a region name');
// CloudTrail's eventID and EventBridge's event id are UUIDs.
export const EventIdSchema = z.string().regex(/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/, 'not a UUID');
const DEVICE_INDEX_MAX = 255; // EC2's indexes are far below; a bound keeps a hostile value out of logs

const cloudTrailBase = z.object({
  eventSource: z.literal('ec2.amazonaws.com'),
  eventID: EventIdSchema,
  eventTime: z.iso.datetime(),
  awsRegion: RegionSchema,
  recipientAccountId: AccountIdSchema,
  // The rules filter failed calls out; one that slips through (a replay, a hand-made rule) has no effect to fix.
  errorCode: z.undefined({ error: 'the call failed (errorCode present)' }).optional(),
});

const attachDetail = cloudTrailBase.extend({
  eventName: z.literal('AttachNetworkInterface'),
  requestParameters: z.object({
    networkInterfaceId: EniIdSchema,
    instanceId: InstanceIdSchema,
    deviceIndex: z.number().int().min(0).max(DEVICE_INDEX_MAX),
    networkCardIndex: z.number().int().min(0).max(DEVICE_INDEX_MAX).optional(),
  }),
  responseElements: z.object({ attachmentId: AttachmentIdSchema }),
});

// Only the attachment id: no instance, no ENI (SDK model; the ENI may be gone when this arrives).
const detachDetail = cloudTrailBase.extend({
  eventName: z.literal('DetachNetworkInterface'),
  requestParameters: z.object({ attachmentId: AttachmentIdSchema, force: z.boolean().optional() }),
});

// The address lists inside these events are not reliable: read the ENI id only, ask EC2 the rest.
const addressDetail = cloudTrailBase.extend({
  eventName: z.enum(['AssignPrivateIpAddresses', 'UnassignPrivateIpAddresses', 'AssignIpv6Addresses', 'UnassignIpv6Addresses']),
  requestParameters: z.object({ networkInterfaceId: EniIdSchema }),
});

// From a real sample: instancesSet.items[].networkInterfaceSet.items[].attachment, starting `attaching`;
// `networkInterfaceSet` can be `{}` (no items) on old records.
const launchedInterface = z.object({
  networkInterfaceId: EniIdSchema,
  attachment: z.object({ attachmentId: AttachmentIdSchema }),
});
const runInstancesDetail = cloudTrailBase.extend({
  eventName: z.literal('RunInstances'),
  responseElements: z.object({
    instancesSet: z.object({
      items: z
        .array(
          z.object({
            instanceId: InstanceIdSchema,
            networkInterfaceSet: z.object({ items: z.array(launchedInterface).max(128).optional() }).optional(),
          }),
        )
        .min(1)
        .max(1000),
    }),
  }),
});

// CreateTags/DeleteTags on any resources: requestParameters.resourcesSet.items[].resourceId and
// tagSet.items[].key/value, responseElements {_return: true} — the shape of a recorded EventBridge
// delivery kept in kreuzwerker/arebot's event_handler_test.go (createNonCompliantTagNameEvent, 2017). A
// DeleteTags without Tag.N deletes every user tag (EC2 API reference); no recorded sample of that call
// was found, so tagSet is optional here and an empty one means the same. EC2 takes up to 1000
// resources a call and 50 tags a resource. Other resources' ids are only bounded: the intake reads the
// instances' (i-…), and those must be instance ids.
const tagsDetail = cloudTrailBase.extend({
  eventName: z.enum(['CreateTags', 'DeleteTags']),
  requestParameters: z.object({
    resourcesSet: z.object({
      items: z
        .array(z.object({ resourceId: z.string().min(1).max(128).refine((id) => !id.startsWith('i-') || InstanceIdSchema.safeParse(id).success, 'not an instance id') }))
        .min(1)
        .max(1000),
    }),
    tagSet: z.object({ items: z.array(z.object({ key: z.string().max(128), value: z.string().max(256).optional() })).max(50).optional() }).optional(),
  }),
});

export const CloudTrailDetailSchema = z.discriminatedUnion('eventName', [attachDetail, detachDetail, addressDetail, runInstancesDetail, tagsDetail]);
export type CloudTrailDetail = z.output<typeof CloudTrailDetailSchema>;
