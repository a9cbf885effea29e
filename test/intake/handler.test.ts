import { TEST_QUEUE_URL, testContext } from '../helpers/service-env';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deduplicationIdOf } from '../../functions/adapters/sqs/sqs-job-queue';
import { logger, metrics } from '../../functions/commons/powertools';
import { intake } from '../../functions/intake/handler';
import { RemediationJobSchema } from '../../functions/service/remediation-job';
import { ATTACHMENT_ID, ENI_ID, EVENT_ID, INSTANCE_ID, SECOND_INSTANCE_ID, addressDetail, attachDetail, cloudTrailEvent, detachDetail, runInstancesDetail, stateChangeEvent, tagsDetail } from './cloudtrail-events';

const ec2 = mockClient(EC2Client);
const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBClient);

const attachedEni = { NetworkInterfaceId: ENI_ID, SourceDestCheck: true, SubnetId: 'subnet-0b2fbf6da06d9ba4b', Attachment: { AttachmentId: ATTACHMENT_ID, InstanceId: INSTANCE_ID, DeviceIndex: 1, NetworkCardIndex: 0, Status: 'attached' as const } };

const sentJobs = () => sqs.commandCalls(SendMessageCommand).map((call) => RemediationJobSchema.parse(JSON.parse(call.args[0].input.MessageBody ?? '')));

beforeEach(() => {
  ec2.reset();
  sqs.reset();
  dynamo.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  dynamo.on(PutItemCommand).resolves({});
  jest.restoreAllMocks();
});

describe('intake handler', () => {
  it('enqueues one job for an attach, grouped by instance, deduplicated by eventID, and remembers the attachment', async () => {
    const summary = await intake(cloudTrailEvent(attachDetail()), testContext);

    expect(summary).toEqual({ accepted: true, jobs: 1 });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: TEST_QUEUE_URL, MessageGroupId: INSTANCE_ID, MessageDeduplicationId: deduplicationIdOf({ eventId: EVENT_ID, instanceId: INSTANCE_ID }) });
    expect(sentJobs()).toEqual([expect.objectContaining({ schemaVersion: 1, eventId: EVENT_ID, trigger: 'AttachNetworkInterface', instanceId: INSTANCE_ID, eniId: ENI_ID, attachmentId: ATTACHMENT_ID })]);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'eni-pbr-test-attachments', Item: expect.objectContaining({ attachmentId: { S: ATTACHMENT_ID }, instanceId: { S: INSTANCE_ID }, eniId: { S: ENI_ID } }) });
    expect(ec2).toHaveReceivedCommandTimes(DescribeNetworkInterfacesCommand, 0);
  });

  it('still enqueues the attach when the attachment map cannot be written (the map is best effort)', async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
    const warn = jest.spyOn(logger, 'warn');

    const summary = await intake(cloudTrailEvent(attachDetail()), testContext);

    expect(summary).toEqual({ accepted: true, jobs: 1 });
    expect(warn).toHaveBeenCalledWith('attachment map not updated', { error: expect.stringContaining('ProvisionedThroughputExceededException') });
  });

  it('resolves a detach by attachment.attachment-id while EC2 still knows it', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ ...attachedEni, Attachment: { ...attachedEni.Attachment, Status: 'detaching' as const } }] });

    await intake(cloudTrailEvent(detachDetail()), testContext);

    expect(ec2).toHaveReceivedCommandWith(DescribeNetworkInterfacesCommand, { Filters: [{ Name: 'attachment.attachment-id', Values: [ATTACHMENT_ID] }] });
    expect(dynamo).toHaveReceivedCommandTimes(GetItemCommand, 0);
    expect(sentJobs()).toEqual([expect.objectContaining({ trigger: 'DetachNetworkInterface', instanceId: INSTANCE_ID })]);
  });

  it('resolves a detach from the attachment map once the ENI is gone', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    const expiresAt = String(Math.floor(Date.now() / 1000) + 3600);
    dynamo.on(GetItemCommand).resolves({ Item: { attachmentId: { S: ATTACHMENT_ID }, instanceId: { S: INSTANCE_ID }, eniId: { S: ENI_ID }, expiresAt: { N: expiresAt } } });

    await intake(cloudTrailEvent(detachDetail()), testContext);

    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, { Key: { attachmentId: { S: ATTACHMENT_ID } } });
    expect(sentJobs()).toEqual([expect.objectContaining({ trigger: 'DetachNetworkInterface', instanceId: INSTANCE_ID, attachmentId: ATTACHMENT_ID })]);
  });

  it('leaves an unresolvable detach to the audit: logged and counted, nothing enqueued', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    dynamo.on(GetItemCommand).resolves({});
    const warn = jest.spyOn(logger, 'warn');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const summary = await intake(cloudTrailEvent(detachDetail()), testContext);

    expect(summary).toEqual({ accepted: true, jobs: 0 });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    expect(warn).toHaveBeenCalledWith('instance not resolved, left to audit', { kind: 'detached' });
    expect(addMetric).toHaveBeenCalledWith('EventsLeftToAudit', 'Count', 1);
  });

  it.each(['AssignPrivateIpAddresses', 'UnassignPrivateIpAddresses', 'AssignIpv6Addresses', 'UnassignIpv6Addresses'])('resolves %s through DescribeNetworkInterfaces on the ENI id', async (eventName) => {
    ec2.on(DescribeNetworkInterfacesCommand, { NetworkInterfaceIds: [ENI_ID] }).resolves({ NetworkInterfaces: [attachedEni] });

    await intake(cloudTrailEvent(addressDetail(eventName)), testContext);

    expect(sentJobs()).toEqual([expect.objectContaining({ trigger: eventName, instanceId: INSTANCE_ID, eniId: ENI_ID })]);
  });

  it('drops an address change on an ENI that no longer exists', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(Object.assign(new Error('The networkInterface ID does not exist'), { name: 'InvalidNetworkInterfaceID.NotFound' }));

    const summary = await intake(cloudTrailEvent(addressDetail('AssignPrivateIpAddresses')), testContext);

    expect(summary.jobs).toBe(0);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it('enqueues one job per launched instance and learns every attachment of a RunInstances', async () => {
    await intake(cloudTrailEvent(runInstancesDetail()), testContext);

    expect(sentJobs().map((job) => [job.instanceId, job.trigger])).toEqual([
      [INSTANCE_ID, 'RunInstances'],
      [SECOND_INSTANCE_ID, 'RunInstances'],
    ]);
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageGroupId)).toEqual([INSTANCE_ID, SECOND_INSTANCE_ID]);
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 3);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, { Item: expect.objectContaining({ attachmentId: { S: 'eni-attach-075438ba1844619f7' }, instanceId: { S: INSTANCE_ID } }) });
  });

  it('enqueues the instance of a running state-change, correlated by the EventBridge event id', async () => {
    const setCorrelationId = jest.spyOn(logger, 'setCorrelationId');

    await intake(stateChangeEvent(), testContext);

    expect(sentJobs()).toEqual([expect.objectContaining({ trigger: 'InstanceRunning', instanceId: INSTANCE_ID, eventId: '7bf73129-1428-4cd3-a780-95db273d1602' })]);
    expect(setCorrelationId).toHaveBeenCalledWith('7bf73129-1428-4cd3-a780-95db273d1602');
  });

  it('counts every event received and sets the CloudTrail eventID as correlation id', async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const setCorrelationId = jest.spyOn(logger, 'setCorrelationId');

    await intake(cloudTrailEvent(attachDetail()), testContext);

    expect(addMetric).toHaveBeenCalledWith('EventsReceived', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('JobsEnqueued', 'Count', 1);
    expect(setCorrelationId).toHaveBeenCalledWith(EVENT_ID);
  });
  it('enqueues a job per tagged instance (each once, other resources ignored) when eni-pbr:managed is set', async () => {
    const event = cloudTrailEvent(tagsDetail('CreateTags', [INSTANCE_ID, 'sg-11bbcc22', SECOND_INSTANCE_ID, INSTANCE_ID], [{ key: 'Name', value: 'web' }, { key: 'eni-pbr:managed', value: 'false' }]));

    const summary = await intake(event, testContext);

    expect(summary).toEqual({ accepted: true, jobs: 2 });
    expect(sentJobs()).toEqual([
      expect.objectContaining({ trigger: 'CreateTags', instanceId: INSTANCE_ID, eventId: EVENT_ID }),
      expect.objectContaining({ trigger: 'CreateTags', instanceId: SECOND_INSTANCE_ID, eventId: EVENT_ID }),
    ]);
    for (const instanceId of [INSTANCE_ID, SECOND_INSTANCE_ID]) {
      expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { MessageGroupId: instanceId, MessageDeduplicationId: deduplicationIdOf({ eventId: EVENT_ID, instanceId }) });
    }
    expect(ec2.calls()).toHaveLength(0); // the remediate function reads the tags again, not the event
  });

  it('enqueues every instance of a 1,000-instance CreateTags, each in its own group, ten at a time at most', async () => {
    const instanceIds = Array.from({ length: 1000 }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
    let inFlight = 0;
    let mostInFlight = 0;
    sqs.on(SendMessageCommand).callsFake(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return {};
    });

    const summary = await intake(cloudTrailEvent(tagsDetail('CreateTags', instanceIds, [{ key: 'eni-pbr:managed', value: 'false' }])), testContext);

    expect(summary).toEqual({ accepted: true, jobs: 1000 });
    expect(new Set(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageGroupId))).toEqual(new Set(instanceIds));
    expect(mostInFlight).toBe(10);
  });

  it.each([
    ['a DeleteTags of eni-pbr:managed', tagsDetail('DeleteTags', [INSTANCE_ID], [{ key: 'eni-pbr:managed' }])],
    ['a DeleteTags of every tag (no tagSet)', tagsDetail('DeleteTags', [INSTANCE_ID], null)],
    ['a DeleteTags of every tag (an empty tagSet)', { ...tagsDetail('DeleteTags', [INSTANCE_ID], null), requestParameters: { resourcesSet: { items: [{ resourceId: INSTANCE_ID }] }, tagSet: {} } }],
  ])('enqueues the instance of %s', async (_what, detail) => {
    expect(await intake(cloudTrailEvent(detail), testContext)).toEqual({ accepted: true, jobs: 1 });
    expect(sentJobs()).toEqual([expect.objectContaining({ trigger: 'DeleteTags', instanceId: INSTANCE_ID })]);
  });

  it.each([
    ['another tag set', tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'Name', value: 'web' }])],
    ['a key that differs from eni-pbr:managed only in case (EC2 tag keys are case-sensitive)', tagsDetail('CreateTags', [INSTANCE_ID], [{ key: 'ENI-PBR:managed', value: 'false' }])],
    ['a DeleteTags of other tags only', tagsDetail('DeleteTags', [INSTANCE_ID], [{ key: 'Name' }])],
    ['eni-pbr:managed set on no instance', tagsDetail('CreateTags', ['sg-11bbcc22', 'vol-0123456789abcdef0'], [{ key: 'eni-pbr:managed', value: 'false' }])],
  ])('accepts %s and enqueues nothing', async (_what, detail) => {
    expect(await intake(cloudTrailEvent(detail), testContext)).toEqual({ accepted: true, jobs: 0 });
    expect(sqs.calls()).toHaveLength(0);
  });
});
