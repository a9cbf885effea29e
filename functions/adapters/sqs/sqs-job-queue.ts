import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueuePort } from '../../service/ports';
import type { RemediationJob } from '../../service/remediation-job';

/**
 * The FIFO remediation queue. MessageGroupId = instanceId keeps one instance's jobs in order while
 * instances run in parallel (an EventBridge rule target can only set a static group id). The
 * deduplication id is derived from the CloudTrail eventID and the instance, so a duplicate delivery of
 * the same event within SQS's 5-minute window is dropped; hashed because SQS takes ≤ 128 characters.
 */
export class SqsJobQueue implements JobQueuePort {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  enqueueAll(jobs: readonly RemediationJob[]): Promise<Map<string, string | null>> {
    return enqueueBatches(this.client, this.queueUrl, jobs);
  }

  async enqueue(job: RemediationJob): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        MessageGroupId: job.instanceId,
        MessageDeduplicationId: deduplicationIdOf(job),
      }),
    );
  }
}

// SendMessageBatch takes 10 entries.
const BATCH_SIZE = 10;

/**
 * The audit's fix mode: many jobs, 10 a SendMessageBatch call. SQS answers per entry (`Failed[]` with a
 * 200): each instance gets its own verdict, and a whole call that fails fails only its ten.
 */
export async function enqueueBatches(client: SQSClient, queueUrl: string, jobs: readonly RemediationJob[]): Promise<Map<string, string | null>> {
  const verdicts = new Map<string, string | null>();
  for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
    const batch = jobs.slice(start, start + BATCH_SIZE);
    try {
      const { Failed = [] } = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job), MessageGroupId: job.instanceId, MessageDeduplicationId: deduplicationIdOf(job) })),
        }),
      );
      for (const job of batch) verdicts.set(job.instanceId, null);
      for (const failure of Failed) {
        const job = batch[Number(failure.Id)];
        if (job !== undefined) verdicts.set(job.instanceId, `${failure.Code ?? 'Failed'}: ${failure.Message ?? ''}`.trim());
      }
    } catch (error) {
      for (const job of batch) verdicts.set(job.instanceId, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
  return verdicts;
}

export function deduplicationIdOf(job: Pick<RemediationJob, 'eventId' | 'instanceId'>): string {
  return createHash('sha256').update(`${job.eventId}:${job.instanceId}`).digest('hex');
}
