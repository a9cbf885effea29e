import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RemediationQueuePort } from '../../service/audit/audit-ports';
import type { RemediationJob } from '../../service/remediation-job';
import { deduplicationIdOf } from './sqs-job-queue';

// SendMessageBatch takes 10 entries.
const BATCH_SIZE = 10;

/**
 * The audit's fix mode: many jobs on the remediation queue, 10 a SendMessageBatch, with the group and
 * deduplication ids SqsJobQueue gives an event's job. SQS answers per entry (`Failed[]` in a 200): each
 * instance gets its own verdict, and a call that fails whole fails only its ten.
 */
export class SqsJobBatches implements RemediationQueuePort {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueueAll(jobs: readonly RemediationJob[]): Promise<Map<string, string | null>> {
    const verdicts = new Map<string, string | null>();
    for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
      const batch = jobs.slice(start, start + BATCH_SIZE);
      try {
        const { Failed = [] } = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
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
}
