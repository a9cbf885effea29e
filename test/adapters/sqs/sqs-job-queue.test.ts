import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SqsJobQueue, deduplicationIdOf } from '../../../functions/adapters/sqs/sqs-job-queue';
import { RemediationJobSchema } from '../../../functions/service/remediation-job';
import { jobOf } from '../../remediate/aws-world';

const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/eni-pbr-remediation.fifo';

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

describe('SqsJobQueue', () => {
  it('sends the job to the FIFO queue, grouped by instance', async () => {
    const job = jobOf();

    await new SqsJobQueue(new SQSClient({}), QUEUE).enqueue(job);

    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: QUEUE, MessageGroupId: job.instanceId, MessageDeduplicationId: deduplicationIdOf(job) });
    expect(RemediationJobSchema.parse(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? ''))).toEqual(job);
  });

  it('derives the deduplication id from eventID and instance: stable, distinct per instance, ≤ 128 characters', () => {
    const a = deduplicationIdOf({ eventId: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: 'i-0e1ab00000000a1b2' });

    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationIdOf({ eventId: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: 'i-0e1ab00000000a1b2' })).toBe(a);
    expect(deduplicationIdOf({ eventId: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: 'i-047be45c593a7157f' })).not.toBe(a);
  });
});
