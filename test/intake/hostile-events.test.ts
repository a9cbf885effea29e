import { TEST_ACCOUNT, testContext } from '../helpers/service-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { logger, metrics } from '../../functions/commons/powertools';
import { intake } from '../../functions/intake/handler';
import { ATTACHMENT_ID, ENI_ID, INSTANCE_ID, attachDetail, cloudTrailEvent, detachDetail, runInstancesDetail, stateChangeEvent, tagsDetail } from './cloudtrail-events';

const sqs = mockClient(SQSClient);
const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const dynamo = mockClient(DynamoDBClient);

type Json = Record<string, unknown>;
const attach = (patch: (detail: Json) => Json): Json => cloudTrailEvent(patch(attachDetail()));
const withRequest = (detail: Json, request: Json): Json => ({ ...detail, requestParameters: { ...(detail.requestParameters as Json), ...request } });

// [what it is, the event, a fragment the logged reason must contain]
const HOSTILE: readonly (readonly [string, unknown, string])[] = [
  ['not an object', 'AttachNetworkInterface', 'malformed'],
  ['null', null, 'malformed'],
  ['an array of events', [cloudTrailEvent(attachDetail())], 'malformed'],
  ['an unknown detail-type', cloudTrailEvent(attachDetail(), { 'detail-type': 'AWS Console Sign In via CloudTrail' }), 'detail-type'],
  ['another source', cloudTrailEvent(attachDetail(), { source: 'custom.attacker' }), 'source'],
  ['another eventSource', attach((d) => ({ ...d, eventSource: 'iam.amazonaws.com' })), 'detail.eventSource'],
  ['an event name the rules do not route', attach((d) => ({ ...d, eventName: 'TerminateInstances' })), 'detail.eventName'],
  ['a failed call (errorCode)', attach((d) => ({ ...d, errorCode: 'Client.UnauthorizedOperation', responseElements: null })), 'errorCode'],
  ['a dry run (Client.DryRunOperation)', attach((d) => ({ ...d, errorCode: 'Client.DryRunOperation' })), 'errorCode'],
  ['an upper-case instance id', attach((d) => withRequest(d, { instanceId: 'i-0F1E2D3C4B5A69788' })), 'requestParameters.instanceId'],
  ['a 16-digit instance id', attach((d) => withRequest(d, { instanceId: 'i-0f1e2d3c4b5a6978' })), 'requestParameters.instanceId'],
  ['an instance id with a shell payload', attach((d) => withRequest(d, { instanceId: 'i-0f1e2d3c;reboot' })), 'requestParameters.instanceId'],
  ['an instance ARN for an id', attach((d) => withRequest(d, { instanceId: `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:instance/${INSTANCE_ID}` })), 'requestParameters.instanceId'],
  ['an ENI id with a newline', attach((d) => withRequest(d, { networkInterfaceId: `${ENI_ID}\nforged log line` })), 'requestParameters.networkInterfaceId'],
  ['a negative device index', attach((d) => withRequest(d, { deviceIndex: -1 })), 'deviceIndex'],
  ['an attach without responseElements', attach((d) => ({ ...d, responseElements: null })), 'responseElements'],
  ['a bad attachment id in a detach', cloudTrailEvent(withRequest(detachDetail(), { attachmentId: 'eni-attach-../../etc' })), 'requestParameters.attachmentId'],
  ['an eventID that is not a UUID', attach((d) => ({ ...d, eventID: '<script>' })), 'detail.eventID'],
  ['a non-ISO event time', attach((d) => ({ ...d, eventTime: 'yesterday' })), 'detail.eventTime'],
  ['an envelope account that is not 12 digits', cloudTrailEvent(attachDetail(), { account: '12345' }), 'account'],
  ['another account', cloudTrailEvent(attachDetail(), { account: '210987654321' }), 'foreign: account 210987654321'],
  ['another region', cloudTrailEvent(attachDetail(), { region: 'eu-west-1' }), 'foreign: region eu-west-1'],
  ['a record for another account forwarded on this bus', attach((d) => ({ ...d, recipientAccountId: '210987654321' })), 'foreign: recipientAccountId'],
  ['a record from another region', attach((d) => ({ ...d, awsRegion: 'eu-west-1' })), 'foreign: awsRegion'],
  ['a RunInstances with no instances', cloudTrailEvent({ ...runInstancesDetail(), responseElements: { instancesSet: { items: [] } } }), 'instancesSet.items'],
  ['a RunInstances ENI without an attachment', cloudTrailEvent({ ...runInstancesDetail(), responseElements: { instancesSet: { items: [{ instanceId: INSTANCE_ID, networkInterfaceSet: { items: [{ networkInterfaceId: ENI_ID }] } }] } } }), 'attachment'],
  ['a stopped state-change', stateChangeEvent({ 'instance-id': INSTANCE_ID, state: 'stopped' }), 'detail.state'],
  ['a state-change with a hostile instance id', stateChangeEvent({ 'instance-id': 'i-$(id)', state: 'running' }), 'instance-id'],
  ['a detail that is a string', cloudTrailEvent(attachDetail(), { detail: JSON.stringify(attachDetail()) }), 'detail'],
  ['a tag call on a hostile instance id', cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID, 'i-0f1e2d3c;reboot'], [{ key: 'eni-pbr:managed', value: 'false' }])), 'resourceId: not an instance id'],
  ['a tag call on 1,001 resources', cloudTrailEvent(tagsDetail('DeleteTags', Array.from({ length: 1001 }, () => INSTANCE_ID), null)), 'resourcesSet.items'],
  ['a tag call on no resource', cloudTrailEvent(tagsDetail('CreateTags', [], [{ key: 'eni-pbr:managed', value: 'false' }])), 'resourcesSet.items'],
  ['a tag call with 51 tags', cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID], Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })))), 'tagSet.items'],
  ['a tag key of 129 characters', cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'k'.repeat(129), value: 'v' }])), 'key'],
  ['a tag call without resourcesSet', cloudTrailEvent({ ...tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'eni-pbr:managed', value: 'false' }]), requestParameters: { tagSet: { items: [] } } }), 'resourcesSet'],
  ['a tag call on an upper-case instance id', cloudTrailEvent(tagsDetail('CreateTags', ['i-0F1E2D3C4B5A69788'], [{ key: 'eni-pbr:managed', value: 'false' }])), 'resourceId: not an instance id'],
  ['a tag call on a resource id that is not a string', cloudTrailEvent({ ...tagsDetail('DeleteTags', [INSTANCE_ID], null), requestParameters: { resourcesSet: { items: [{ resourceId: 42 }] } } }), 'resourceId'],
  ['a tag call without requestParameters', cloudTrailEvent({ ...tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'eni-pbr:managed', value: 'false' }]), requestParameters: null }), 'requestParameters'],
  ['a tag without a key', cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID], [{ value: 'false' } as never])), 'key'],
  ['a tag value of 257 characters', cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'eni-pbr:managed', value: 'f'.repeat(257) }])), 'value'],
  ['a prototype-pollution attempt', JSON.parse(`{"__proto__":{"polluted":true},"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":{"attachmentId":"${ATTACHMENT_ID}"}}`), 'malformed'],
];

beforeEach(() => {
  sqs.reset();
  ssm.reset();
  ec2.reset();
  dynamo.reset();
  jest.restoreAllMocks();
});

describe('intake handler, malformed or hostile events', () => {
  it.each(HOSTILE)('rejects %s: logged with the reason, counted, nothing enqueued or sent', async (_what, event, reason) => {
    const warn = jest.spyOn(logger, 'warn');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const summary = await intake(event, testContext);

    expect(summary).toMatchObject({ accepted: false, jobs: 0 });
    expect(warn).toHaveBeenCalledWith('event rejected', { reason: expect.stringContaining(reason) });
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(ec2.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the table at 20 cases or more', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
  });
});
