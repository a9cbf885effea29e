import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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

export function deduplicationIdOf(job: Pick<RemediationJob, 'eventId' | 'instanceId'>): string {
  return createHash('sha256').update(`${job.eventId}:${job.instanceId}`).digest('hex');
}
