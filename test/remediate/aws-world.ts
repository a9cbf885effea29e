import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand, type DescribeNetworkInterfacesCommandOutput } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { RemediationJob } from '../../functions/service/remediation-job';
import type { AgentCommandResult } from '../../functions/use-cases/ports';
import { LAB_INSTANCE_ID, labAnswers, labApplyResult, labInspectResult } from '../use-cases/fake-ports';

/** Every AWS client the remediate function uses, mocked, answering with the lab's real EC2 and agent output. */
export const ec2 = mockClient(EC2Client);
export const ssm = mockClient(SSMClient);
export const events = mockClient(EventBridgeClient);
export const dynamo = mockClient(DynamoDBClient);

export interface World {
  readonly state?: string;
  readonly tags?: Record<string, string>;
  readonly ping?: string | null;
  readonly attachmentStatus?: string;
  readonly inspect?: AgentCommandResult;
  readonly apply?: AgentCommandResult;
  readonly remove?: AgentCommandResult;
  /** a removal recorded for the instance (opted out while stopped) */
  readonly pendingRemoval?: boolean;
}

export function setWorld(world: World = {}): void {
  for (const mock of [ec2, ssm, events, dynamo]) mock.reset();
  const tags = Object.entries(world.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: LAB_INSTANCE_ID, State: { Name: world.state ?? 'running' }, Tags: tags }] }] } as never);
  const answers = labAnswers();
  const interfaces = answers.describeNetworkInterfaces as DescribeNetworkInterfacesCommandOutput;
  const status = world.attachmentStatus;
  const withStatus = status === undefined ? interfaces : { NetworkInterfaces: interfaces.NetworkInterfaces?.map((eni, i) => (i === 1 ? { ...eni, Attachment: { ...eni.Attachment, Status: status } } : eni)) };
  ec2.on(DescribeNetworkInterfacesCommand).resolves(withStatus as never);
  ec2.on(DescribeSubnetsCommand).resolves(answers.describeSubnets as never);
  ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
  const ping = world.ping === undefined ? 'Online' : world.ping;
  ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: ping === null ? [] : [{ InstanceId: LAB_INSTANCE_ID, PingStatus: ping as never }] });
  ssm.on(SendCommandCommand, { Parameters: { Mode: ['inspect'] } }).resolves({ Command: { CommandId: 'cmd-inspect' } });
  ssm.on(SendCommandCommand, { Parameters: { Mode: ['apply'] } }).resolves({ Command: { CommandId: 'cmd-apply' } });
  ssm.on(GetCommandInvocationCommand, { CommandId: 'cmd-inspect' }).resolves(invocation(world.inspect ?? labInspectResult()));
  ssm.on(GetCommandInvocationCommand, { CommandId: 'cmd-apply' }).resolves(invocation(world.apply ?? labApplyResult()));
  ssm.on(SendCommandCommand, { Parameters: { Mode: ['remove'] } }).resolves({ Command: { CommandId: 'cmd-remove' } });
  ssm.on(GetCommandInvocationCommand, { CommandId: 'cmd-remove' }).resolves(invocation(world.remove ?? removeResult('removed', 1531)));
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(GetItemCommand).resolves(world.pendingRemoval ? { Item: { instanceId: { S: LAB_INSTANCE_ID }, markedAt: { N: '1764745200' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) } } } : {});
  dynamo.on(DeleteItemCommand).resolves({});
}

/** `agent remove`'s output in the shape the agent prints (captured; its after-inspect left out). */
export function removeResult(status: 'removed' | 'unchanged' | 'failed' | 'refused', operations: number, responseCode = status === 'failed' ? 10 : status === 'refused' ? 4 : 0): AgentCommandResult {
  const digest = (c: string) => c.repeat(64);
  const result = { status, operations, before: digest('5'), after: digest(operations === 0 ? '5' : 'd'), error: status === 'failed' ? 'ip -4 -batch: RTNETLINK answers: Operation not permitted' : null };
  return {
    Status: responseCode === 0 ? 'Success' : 'Failed',
    ResponseCode: responseCode,
    StandardOutputContent: JSON.stringify({ schemaVersion: 1, mode: 'remove', result, after: null }),
    StandardErrorContent: `eni-pbr-agent: ${status}\n`,
  };
}

function invocation(result: AgentCommandResult) {
  return { ...result, Status: result.Status as never, StatusDetails: result.Status, InstanceId: LAB_INSTANCE_ID };
}

/** The modes the agent was asked for, in order. */
export const sentModes = (): string[] => ssm.commandCalls(SendCommandCommand).map((call) => call.args[0].input.Parameters?.Mode?.[0] ?? '?');

/** The details published on the bus. */
export const publishedDetails = (): Record<string, unknown>[] =>
  events.commandCalls(PutEventsCommand).map((call) => JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? '{}') as Record<string, unknown>);

export function jobOf(overrides: Partial<RemediationJob> = {}): RemediationJob {
  return { schemaVersion: 1, eventId: '3251aba1-4740-49d5-b700-f3115ef00001', trigger: 'AttachNetworkInterface', instanceId: LAB_INSTANCE_ID, eniId: 'eni-0e1ab000000000002', eventTime: '2026-12-03T07:00:00Z', ...overrides };
}

let sequence = 0;
export function sqsRecord(body: unknown, messageId: string, groupId = LAB_INSTANCE_ID): SQSRecord {
  sequence += 1;
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1764745200000', SenderId: 'AROAEXAMPLE', ApproximateFirstReceiveTimestamp: '1764745200001', MessageGroupId: groupId, MessageDeduplicationId: `d-${messageId}`, SequenceNumber: String(18_000_000_000_000_000_000 + sequence) },
    messageAttributes: {},
    md5OfBody: 'x',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:eni-pbr-test-remediation.fifo',
    awsRegion: 'us-east-1',
  };
}
