import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { AwsEndpoint } from '../../../scripts/lab/aws-endpoint/aws-endpoint';
import { clientsFor, startLabEndpoint } from './endpoint-fixture';

describe('the local endpoint keeps an SQS FIFO queue the SDK client drives', () => {
  let endpoint: AwsEndpoint;
  let sqs: ReturnType<typeof clientsFor>['sqs'];
  let queueUrl: string;
  let dlqUrl: string;

  beforeEach(async () => {
    endpoint = await startLabEndpoint();
    sqs = clientsFor(endpoint).sqs;
    dlqUrl = endpoint.sqs.createQueue({ name: 'jobs-dlq.fifo', visibilityTimeoutSeconds: 30, delaySeconds: 0, contentBasedDeduplication: false });
    queueUrl = endpoint.sqs.createQueue({
      name: 'jobs.fifo',
      visibilityTimeoutSeconds: 1,
      delaySeconds: 0,
      contentBasedDeduplication: false,
      redrive: { deadLetterQueue: endpoint.sqs.queue('jobs-dlq.fifo'), maxReceiveCount: 2 },
    });
  });
  afterEach(() => endpoint.stop());

  const send = (body: string, group: string, dedup = body) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
  const receive = (max = 10, wait = 0) => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: wait, MessageSystemAttributeNames: ['All'] }));
  const bodies = (out: Awaited<ReturnType<typeof receive>>) => (out.Messages ?? []).map((m) => m.Body);

  it('delivers a group in order and holds it while a message is in flight; other groups flow', async () => {
    await send('a1', 'i-a');
    await send('a2', 'i-a');
    await send('b1', 'i-b');

    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }));
    const second = await receive();

    expect(bodies(first)).toEqual(['a1']);
    expect(bodies(second)).toEqual(['b1']); // a2 waits behind a1, in flight
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    expect(bodies(await receive())).toEqual(['a2']);
  });

  it('answers with the body MD5 the SDK checks, a sequence number and the system attributes', async () => {
    const sent = await send('{"instanceId":"i-a"}', 'i-a');
    const out = await receive();

    expect(sent.SequenceNumber).toMatch(/^\d{20}$/);
    expect(out.Messages?.[0]).toMatchObject({ MessageId: sent.MessageId, Body: '{"instanceId":"i-a"}' });
    expect(out.Messages?.[0]?.Attributes).toMatchObject({ MessageGroupId: 'i-a', ApproximateReceiveCount: '1', SequenceNumber: sent.SequenceNumber, MessageDeduplicationId: '{"instanceId":"i-a"}' });
  });

  it('drops a duplicate inside the deduplication window and answers it as the original', async () => {
    const original = await send('job', 'i-a', 'event-1');
    const duplicate = await send('job again', 'i-a', 'event-1');

    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(bodies(await receive())).toEqual(['job']);
  });

  it('makes an undeleted message visible again after the visibility timeout, and ChangeMessageVisibility shortens it', async () => {
    await send('job', 'i-a');
    const first = await receive();
    expect(bodies(await receive())).toEqual([]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }));

    const again = await receive();

    expect(bodies(again)).toEqual(['job']);
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    await send('poison', 'i-a');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const out = await receive();
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: out.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
    }

    expect(bodies(await receive())).toEqual([]);
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(dlq.Attributes).toEqual({ ApproximateNumberOfMessages: '1' });
    expect(bodies(await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl })))).toEqual(['poison']);
  });

  it("holds every message for the queue's delay, and long polling returns as soon as one is due", async () => {
    const delayed = endpoint.sqs.createQueue({ name: 'settle.fifo', visibilityTimeoutSeconds: 30, delaySeconds: 1, contentBasedDeduplication: true });
    await sqs.send(new SendMessageCommand({ QueueUrl: delayed, MessageBody: 'job', MessageGroupId: 'i-a' }));
    const counts = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: delayed, AttributeNames: ['All'] }));
    const started = Date.now();

    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: delayed, WaitTimeSeconds: 5 }));

    expect(counts.Attributes).toMatchObject({ ApproximateNumberOfMessagesDelayed: '1', ApproximateNumberOfMessages: '0', DelaySeconds: '1', FifoQueue: 'true' });
    expect(out.Messages?.[0]?.Body).toBe('job');
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('refuses what a FIFO queue refuses, with the errors the SDK parses', async () => {
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' }))).rejects.toMatchObject({ name: 'MissingParameter' });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'bogus' }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
    await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: `${endpoint.url}/123456789012/missing.fifo` }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
    });
  });
});
