import { testContext } from '../helpers/service-env';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeInstanceInformationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { logger, metrics } from '../../functions/commons/powertools';
import { remediate } from '../../functions/remediate/handler';
import { LAB_INSTANCE_ID, inspectResultOfAfterState, labApplyResult } from '../use-cases/fake-ports';
import { dynamo, ec2, events, jobOf, publishedDetails, removeResult, sentModes, setWorld, sqsRecord, ssm } from './aws-world';

const batch = (...records: ReturnType<typeof sqsRecord>[]) => ({ Records: records });
const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) => response.batchItemFailures.map((item) => item.itemIdentifier);
const agentExit = (code: number, stdout = '') => ({ Status: 'Failed', ResponseCode: code, StandardOutputContent: stdout, StandardErrorContent: `eni-pbr-agent: exit ${code}\n` });

beforeEach(() => jest.restoreAllMocks());

describe('remediate handler', () => {
  it('applies the plan through SSM in two round trips, logs the operations and publishes the result', async () => {
    setWorld();
    const info = jest.spyOn(logger, 'info');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(sentModes()).toEqual(['inspect', 'apply']);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      InstanceIds: [LAB_INSTANCE_ID],
      DocumentName: 'eni-pbr-test-agent',
      DocumentVersion: '3',
      CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/eni-pbr/test/commands' },
    });
    expect(info).toHaveBeenCalledWith('operations applied', expect.objectContaining({ instanceId: LAB_INSTANCE_ID, status: 'applied', before: expect.stringMatching(/^[0-9a-f]{64}$/), after: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, { Entries: [expect.objectContaining({ Source: 'eni-pbr', DetailType: 'ENI PBR Remediation Result', EventBusName: 'default' })] });
    expect(publishedDetails()).toEqual([expect.objectContaining({ instanceId: LAB_INSTANCE_ID, outcome: 'remediated', mode: 'fix', operations: expect.any(Number), applied: expect.objectContaining({ status: 'applied' }) })]);
    expect(addMetric).toHaveBeenCalledWith('InstancesRemediated', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('RemediationDuration', 'Milliseconds', expect.any(Number));
    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, 0); // the option is off
  });

  it('sends only the inspect when the host already matches, and counts it compliant', async () => {
    setWorld({ inspect: inspectResultOfAfterState() });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(sentModes()).toEqual(['inspect']);
    expect(addMetric).toHaveBeenCalledWith('InstancesCompliant', 'Count', 1);
  });

  it('fails the record when the agent stays offline, so the queue retries it (and then the DLQ)', async () => {
    setWorld({ ping: 'ConnectionLost' });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(['m-1']);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(addMetric).toHaveBeenCalledWith('InstancesUnreachable', 'Count', 1);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'unreachable', retrying: true, error: expect.stringContaining('ConnectionLost') })]);
  });

  it('retries while an ENI is still attaching', async () => {
    setWorld({ attachmentStatus: 'attaching' });

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(['m-1']);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
  });

  it.each([
    ['the inspect fails (a tool is missing, exit 7)', { inspect: agentExit(7) }],
    ['the plan is refused (exit 3)', { apply: agentExit(3, JSON.stringify({ schemaVersion: 1, mode: 'apply', result: { status: 'refused', operations: 0, before: 'a'.repeat(64), after: 'a'.repeat(64), error: 'line 3: unknown MAC' }, after: null })) }],
  ])('does not retry when %s: logged, counted, published', async (_what, world) => {
    setWorld(world);
    const error = jest.spyOn(logger, 'error');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(error).toHaveBeenCalledWith('job failed, not retried', { error: expect.stringContaining('AgentCommandError') });
    expect(addMetric).toHaveBeenCalledWith('InstancesFailed', 'Count', 1);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'failed', retrying: false })]);
  });

  it.each([
    ['the agent lock is busy (exit 4)', { apply: agentExit(4) }, 'exit 4'],
    ['the apply rolled back (exit 5)', { apply: { ...labApplyResult(), Status: 'Failed', ResponseCode: 5 } }, 'exit 5'],
    ['SSM timed the command out', { inspect: { Status: 'TimedOut', ResponseCode: -1, StandardOutputContent: '', StandardErrorContent: '' } }, 'CommandNotRunError'],
  ])('retries when %s', async (_what, world, error) => {
    setWorld(world);

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(['m-1']);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: expect.any(String), retrying: true, error: expect.stringContaining(error) })]);
  });

  it('retries on throttling', async () => {
    setWorld();
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $retryable: { throttling: true } }));

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(['m-1']);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
  });

  it.each(['terminated', 'shutting-down'])('drops the job of a %s instance without a command or a retry', async (state) => {
    setWorld({ state });

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'failed', retrying: false, error: expect.stringContaining('InstanceGoneError') })]);
  });

  it('skips an instance tagged eni-pbr:managed=false (opt-out) and says so', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' } });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await remediate(batch(sqsRecord(jobOf(), 'm-1')), testContext);

    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(addMetric).toHaveBeenCalledWith('InstancesSkipped', 'Count', 1);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'tag eni-pbr:managed=false' })]);
  });

  it('removes eni-pbr from an instance a tag change opted out: the remove mode, logged, counted, published', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' } });
    const info = jest.spyOn(logger, 'info');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await remediate(batch(sqsRecord(jobOf({ trigger: 'CreateTags', eniId: undefined }), 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(sentModes()).toEqual(['remove']);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { InstanceIds: [LAB_INSTANCE_ID], DocumentName: 'eni-pbr-test-agent', Parameters: { Mode: ['remove'] } });
    expect(info).toHaveBeenCalledWith('eni-pbr removed', { instanceId: LAB_INSTANCE_ID, reason: 'tag eni-pbr:managed=false', status: 'removed', operations: 1531 });
    expect(addMetric).toHaveBeenCalledWith('InstancesRemoved', 'Count', 1);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'removed', trigger: 'CreateTags', removal: { status: 'removed', operations: 1531, error: null } })]);
  });

  it('records the removal of an instance opted out while stopped, and does it at its next start', async () => {
    setWorld({ state: 'stopped', tags: { 'eni-pbr:managed': 'false' } });

    await remediate(batch(sqsRecord(jobOf({ trigger: 'CreateTags', eniId: undefined }), 'm-1')), testContext);

    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'eni-pbr-test-pending-removals', Item: expect.objectContaining({ instanceId: { S: LAB_INSTANCE_ID } }) });
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'instance is stopped; eni-pbr is removed at its next start (tag eni-pbr:managed=false)' })]);

    setWorld({ tags: { 'eni-pbr:managed': 'false' }, pendingRemoval: true });
    await remediate(batch(sqsRecord(jobOf({ trigger: 'InstanceRunning', eniId: undefined }), 'm-2')), testContext);

    expect(sentModes()).toEqual(['remove']);
    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, { TableName: 'eni-pbr-test-pending-removals', Key: { instanceId: { S: LAB_INSTANCE_ID } } });
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'removed', trigger: 'InstanceRunning', reason: 'tag eni-pbr:managed=false, opted out while stopped' })]);
  });

  it('keeps the recorded removal when the remove fails, for the retry', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' }, pendingRemoval: true, remove: removeResult('refused', 0) });

    const response = await remediate(batch(sqsRecord(jobOf({ trigger: 'InstanceRunning', eniId: undefined }), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(['m-1']);
    expect(dynamo).toHaveReceivedCommandTimes(DeleteItemCommand, 0);
  });

  it('starts an opted-out instance with no removal recorded without a command', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' } });

    await remediate(batch(sqsRecord(jobOf({ trigger: 'InstanceRunning', eniId: undefined }), 'm-1')), testContext);

    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'eni-pbr-test-pending-removals', Key: { instanceId: { S: LAB_INSTANCE_ID } } });
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'tag eni-pbr:managed=false' })]);
  });

  it('remediates instead when the instance was tagged back to managed before the job ran (EC2 read again)', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'true' } });
    const info = jest.spyOn(logger, 'info');

    await remediate(batch(sqsRecord(jobOf({ trigger: 'DeleteTags', eniId: undefined }), 'm-1')), testContext);

    expect(sentModes()).toEqual(['inspect', 'apply']);
    expect(info).toHaveBeenCalledWith('instance managed after the tag change: no removal, remediated instead', { instanceId: LAB_INSTANCE_ID, trigger: 'DeleteTags' });
  });

  it.each([
    ['a tag value eni-pbr does not understand', 'CreateTags', { 'eni-pbr:managed': 'maybe' }],
    ['an opted-out instance whose job is not a tag change', 'AttachNetworkInterface', { 'eni-pbr:managed': 'false' }],
  ] as const)('sends nothing for %s', async (_what, trigger, tags) => {
    setWorld({ tags });

    await remediate(batch(sqsRecord(jobOf({ trigger }), 'm-1')), testContext);

    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
  });

  it.each([
    ['retries the tag read when EC2 throttles it', () => ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $retryable: { throttling: true } })), ['m-1'], 'RequestLimitExceeded'],
    ['drops the job of an instance EC2 no longer knows', () => ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('The instance ID does not exist'), { name: 'InvalidInstanceID.NotFound' })), [], 'InstanceGoneError'],
    ['retries while the agent is offline', () => ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: LAB_INSTANCE_ID, PingStatus: 'ConnectionLost' }] }), ['m-1'], 'ConnectionLost'],
  ] as const)('a tag job %s, and sends no remove', async (_what, fault, failed, error) => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' } });
    fault();

    const response = await remediate(batch(sqsRecord(jobOf({ trigger: 'DeleteTags', eniId: undefined }), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(failed);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(publishedDetails()).toEqual([expect.objectContaining({ trigger: 'DeleteTags', retrying: failed.length > 0, error: expect.stringContaining(error) })]);
  });

  it('reports a remove that found nothing of eni-pbr\'s (unchanged) as done, not retried', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' }, remove: removeResult('unchanged', 0) });

    const response = await remediate(batch(sqsRecord(jobOf({ trigger: 'CreateTags', eniId: undefined }), 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'removed', removal: { status: 'unchanged', operations: 0, error: null } })]);
  });

  it.each([
    ['retries a remove the lock kept out (exit 4)', removeResult('refused', 0), ['m-1']],
    ['does not retry a remove that failed (exit 10): logged and published', removeResult('failed', 2), []],
  ] as const)('%s', async (_what, remove, failed) => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' }, remove });

    const response = await remediate(batch(sqsRecord(jobOf({ trigger: 'CreateTags' }), 'm-1')), testContext);

    expect(failedIds(response)).toEqual(failed);
    expect(publishedDetails()).toEqual([expect.objectContaining({ outcome: 'failed', retrying: failed.length > 0, error: expect.stringContaining('agent remove failed') })]);
  });

  it.each([
    ['not JSON', '{"schemaVersion":'],
    ['a future schema version', { ...jobOf(), schemaVersion: 2 }],
    ['a hostile instance id', { ...jobOf(), instanceId: 'i-0e1ab00000000a1b2; reboot' }],
    ['an unknown field', { ...jobOf(), command: 'rm -rf /' }],
  ])('drops a message that is %s: logged and counted, never retried, nothing sent', async (_what, body) => {
    setWorld();
    const error = jest.spyOn(logger, 'error');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await remediate(batch(sqsRecord(body, 'm-1')), testContext);

    expect(failedIds(response)).toEqual([]);
    expect(error).toHaveBeenCalledWith('job rejected', { messageId: 'm-1', reason: expect.any(String) });
    expect(addMetric).toHaveBeenCalledWith('JobsRejected', 'Count', 1);
    expect(ec2.calls()).toHaveLength(0);
    expect(ssm.calls()).toHaveLength(0);
  });

  it("fails only the failing instance's group: other instances' jobs in the batch still run", async () => {
    setWorld({ ping: null });
    const other = 'i-0e1ab00000000a1b3';

    const response = await remediate(batch(sqsRecord(jobOf(), 'm-1'), sqsRecord(jobOf({ instanceId: other }), 'm-2', other), sqsRecord(jobOf(), 'm-3')), testContext);

    expect(failedIds(response)).toEqual(['m-1', 'm-3']); // m-3 is behind m-1 in the same group: not run out of order
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input.InstanceIds)).toEqual([[LAB_INSTANCE_ID], [other]]);
  });
});
