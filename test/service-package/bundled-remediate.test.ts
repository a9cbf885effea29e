import { createHash } from 'node:crypto';
import { bundledFunction, md5 } from './bundled-function';
import { REGION, expectPowertoolsJson } from './bundled-output';

const remediate = bundledFunction('remediate');

const INSTANCE_ID = 'i-0f1e2d3c4b5a69788';

/** DescribeInstances as EC2's query API answers it (XML), one instance in `state`, no tags. */
const describeInstancesXml = (state: string, code: number) =>
  '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>8f7724cf-496f-496e-8fe3-example</requestId>' +
  '<reservationSet><item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId><instancesSet><item>' +
  `<instanceId>${INSTANCE_ID}</instanceId><instanceState><code>${code}</code><name>${state}</name></instanceState><tagSet/>` +
  '</item></instancesSet></item></reservationSet></DescribeInstancesResponse>';

/** One FIFO record carrying a job, as the SQS event source mapping delivers it. */
function sqsEvent(body: string): unknown {
  return {
    Records: [{
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body,
      attributes: {
        ApproximateReceiveCount: '1', SentTimestamp: '1545082649183', SenderId: 'AROAEXAMPLE:eni-pbr-test-intake',
        ApproximateFirstReceiveTimestamp: '1545082649185', SequenceNumber: '18849496460467696128', MessageGroupId: INSTANCE_ID,
        MessageDeduplicationId: createHash('sha256').update(body).digest('hex'),
      },
      messageAttributes: {},
      md5OfBody: md5(body),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:123456789012:eni-pbr-test-remediation.fifo`,
      awsRegion: REGION,
    }],
  };
}

const job = JSON.stringify({ schemaVersion: 1, eventId: '3251aba1-4740-49d5-b700-f3115ef00001', trigger: 'AttachNetworkInterface', instanceId: INSTANCE_ID, eniId: 'eni-0a1b2c3d4e5f60718', eventTime: '2022-10-28T18:55:11Z' });
const putEventsOk = () => ({ FailedEntryCount: 0, Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }] });

describe('the packaged remediate (bundled zip, Node 22)', () => {
  it('publishes a terminated instance\'s job as failed and does not retry it', async () => {
    const output = await remediate.invoke(sqsEvent(job), { 'ec2:DescribeInstances': () => describeInstancesXml('terminated', 48), 'events:PutEvents': putEventsOk });
    expect(output.outcome).toEqual({ ok: true, result: { batchItemFailures: [] } });
    expect(output.calls.map((call) => `${call.service}:${call.operation}`)).toEqual(['ec2:DescribeInstances', 'events:PutEvents']);
    const [entry] = (output.calls[1]?.input.Entries ?? []) as Record<string, unknown>[];
    expect(entry).toMatchObject({ Source: 'eni-pbr', DetailType: 'ENI PBR Remediation Result', EventBusName: 'default' });
    expect(JSON.parse(String(entry?.Detail))).toMatchObject({ instanceId: INSTANCE_ID });
    expectPowertoolsJson(output);
  });

  it('fails the record of an instance whose agent stays offline, so the queue retries it (then the DLQ)', async () => {
    const responders = {
      'ec2:DescribeInstances': () => describeInstancesXml('running', 16),
      'ssm:DescribeInstanceInformation': () => ({ InstanceInformationList: [] }),
      'events:PutEvents': putEventsOk,
    };
    const output = await remediate.invoke(sqsEvent(job), responders, { ENI_PBR_AGENT_WAIT_SECONDS: '0' });
    expect(output.outcome).toEqual({ ok: true, result: { batchItemFailures: [{ itemIdentifier: '059f36b4-87a3-44ab-83d2-661975830a7d' }] } });
    expect(output.calls.filter((call) => call.service === 'ssm').map((call) => call.operation)).toEqual(['DescribeInstanceInformation']);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.find((entry) => entry.message === 'job failed, will retry')).toMatchObject({ correlation_id: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: INSTANCE_ID });
  });

  it('rejects a malformed job without calling AWS', async () => {
    const output = await remediate.invoke(sqsEvent('{"schemaVersion":1,"instanceId":"i-$(reboot)"}'), {});
    expect(output.outcome).toEqual({ ok: true, result: { batchItemFailures: [] } });
    expect(output.calls).toEqual([]);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.find((entry) => entry.message === 'job rejected')).toMatchObject({ level: 'ERROR', reason: expect.any(String) });
  });
});
