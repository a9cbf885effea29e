import { TEST_ACCOUNT, TEST_REGION } from '../helpers/service-env';

/**
 * Events in the shapes EventBridge delivers (../../../shared/aws-facts.md): the Attach detail is a real
 * console call (ids changed), RunInstances follows a real sample (attachment `attaching`, attachTime in
 * epoch ms, privateIpAddressesSet with `item`), Detach and the address calls follow the SDK model.
 */
export const INSTANCE_ID = 'i-0f1e2d3c4b5a69788';
export const ENI_ID = 'eni-0a1b2c3d4e5f60718';
export const ATTACHMENT_ID = 'eni-attach-00eb7522370000001';
export const EVENT_ID = '3251aba1-4740-49d5-b700-f3115ef00001';

type Json = Record<string, unknown>;

export function cloudTrailEvent(detail: Json, envelope: Json = {}): Json {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: TEST_ACCOUNT,
    time: '2022-10-28T18:55:11Z',
    region: TEST_REGION,
    resources: [],
    detail,
    ...envelope,
  };
}

function callDetail(eventName: string, requestParameters: Json, responseElements: Json | null): Json {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'Root' },
    eventTime: '2022-10-28T18:55:11Z',
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: TEST_REGION,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters,
    responseElements,
    requestID: '669c37c4-0000-4000-8000-000000000001',
    eventID: EVENT_ID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    eventCategory: 'Management',
    sessionCredentialFromConsole: 'true',
  };
}

export const attachDetail = (): Json =>
  callDetail('AttachNetworkInterface', { networkInterfaceId: ENI_ID, instanceId: INSTANCE_ID, deviceIndex: 1 }, { requestId: '669c37c4-0000-4000-8000-000000000001', attachmentId: ATTACHMENT_ID });
export const detachDetail = (): Json => callDetail('DetachNetworkInterface', { attachmentId: ATTACHMENT_ID, force: false }, { requestId: '669c37c4-0000-4000-8000-000000000002', _return: true });
export const addressDetail = (eventName: string): Json =>
  callDetail(eventName, { networkInterfaceId: ENI_ID, privateIpAddressesSet: { item: [{ privateIpAddress: '10.0.3.159' }] } }, { requestId: '669c37c4-0000-4000-8000-000000000003', _return: true });

export const SECOND_INSTANCE_ID = 'i-047be45c593a7157f';
export const runInstancesDetail = (): Json =>
  callDetail(
    'RunInstances',
    { instancesSet: { items: [{ imageId: 'ami-0123456789abcdef0', minCount: 2, maxCount: 2 }] } },
    {
      requestId: '0f6b158f-ee18-43ca-b0d8-c06657fb5abb',
      reservationId: 'r-0123456789abcdef0',
      instancesSet: {
        items: [launched(INSTANCE_ID, [[ENI_ID, ATTACHMENT_ID, 0], ['eni-021cf26efaa81d057', 'eni-attach-075438ba1844619f7', 1]]), launched(SECOND_INSTANCE_ID, [['eni-0b2c3d4e5f6071829', 'eni-attach-0aa1122334455667a', 0]])],
      },
    },
  );

function launched(instanceId: string, enis: readonly (readonly [string, string, number])[]): Json {
  return {
    instanceId,
    instanceState: { code: 0, name: 'pending' },
    networkInterfaceSet: {
      items: enis.map(([networkInterfaceId, attachmentId, deviceIndex]) => ({
        networkInterfaceId,
        subnetId: 'subnet-0b2fbf6da06d9ba4b',
        status: 'in-use',
        macAddress: '0e:9c:6d:63:60:67',
        sourceDestCheck: true,
        interfaceType: 'interface',
        attachment: { attachmentId, deviceIndex, networkCardIndex: 0, status: 'attaching', attachTime: 1773709181000, deleteOnTermination: true },
        privateIpAddressesSet: { item: [{ privateIpAddress: '10.0.1.12', primary: true }] },
        ipv6AddressesSet: {},
        tagSet: {},
      })),
    },
  };
}

export function stateChangeEvent(detail: Json = { 'instance-id': INSTANCE_ID, state: 'running' }, envelope: Json = {}): Json {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: TEST_ACCOUNT,
    time: '2026-12-03T07:00:00Z',
    region: TEST_REGION,
    resources: [`arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT}:instance/${INSTANCE_ID}`],
    detail,
    ...envelope,
  };
}

/**
 * CreateTags/DeleteTags as CloudTrail records them (requestParameters.resourcesSet.items[].resourceId and
 * tagSet.items[].key/value, responseElements `_return`: the recorded delivery in kreuzwerker/arebot's
 * event_handler_test.go; test/fixtures/eventbridge/create-tags.json follows it); a DeleteTags without
 * tagSet deletes every user tag (EC2 API reference; no recorded sample found).
 */
export function tagsDetail(eventName: 'CreateTags' | 'DeleteTags', resourceIds: readonly string[], tags: readonly { key: string; value?: string }[] | null): Json {
  return callDetail(
    eventName,
    { resourcesSet: { items: resourceIds.map((resourceId) => ({ resourceId })) }, ...(tags === null ? {} : { tagSet: { items: tags } }) },
    { requestId: '669c37c4-0000-4000-8000-000000000004', _return: true },
  );
}
