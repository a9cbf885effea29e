import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvocationRecord, LambdaEnvironment } from './lambda-environment';

export interface EventSourceSettings {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
}

// Lambda's pollers long-poll for 20 s; one second here lets stop() return promptly.
const POLL_WAIT_SECONDS = 1;

/**
 * Lambda's SQS event source mapping, one poller: receive a batch, invoke the function with it, delete
 * what succeeded. With ReportBatchItemFailures the items the function names stay on the queue and come
 * back after the visibility timeout (and reach the DLQ after maxReceiveCount); a function error keeps
 * the whole batch. Maximum concurrency is one: the lab has one instance, one message group.
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly target: LambdaEnvironment,
    private readonly settings: EventSourceSettings,
    private readonly onInvocation: (record: InvocationRecord) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const received = await this.sqs
        .send(new ReceiveMessageCommand({ QueueUrl: this.settings.queueUrl, MaxNumberOfMessages: this.settings.batchSize, WaitTimeSeconds: POLL_WAIT_SECONDS, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }))
        .catch(() => ({ Messages: [] }));
      const messages = received.Messages ?? [];
      if (messages.length === 0 || !this.running) continue;
      const event: SQSEvent = { Records: messages.map((message) => this.toRecord(message)) };
      const record = await this.target.invoke(event);
      this.onInvocation(record);
      const failed = this.failedIds(record, event);
      for (const message of messages.filter((m) => !failed.has(m.MessageId ?? ''))) {
        await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.settings.queueUrl, ReceiptHandle: message.ReceiptHandle })).catch(() => undefined);
      }
    }
  }

  /** The records Lambda keeps on the queue: all on a function error, else the batchItemFailures named. */
  private failedIds(record: InvocationRecord, event: SQSEvent): Set<string> {
    if (!record.outcome.ok) return new Set(event.Records.map((r) => r.messageId));
    if (!this.settings.reportBatchItemFailures) return new Set();
    const failures = (record.outcome.result as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures ?? [];
    return new Set(failures.map((failure) => failure.itemIdentifier ?? ''));
  }

  private toRecord(message: { MessageId?: string; ReceiptHandle?: string; Body?: string; MD5OfBody?: string; Attributes?: Record<string, string>; MessageAttributes?: Record<string, unknown> }): SQSRecord {
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: message.Attributes as unknown as SQSRecord['attributes'],
      messageAttributes: (message.MessageAttributes ?? {}) as SQSRecord['messageAttributes'],
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.settings.queueArn,
      awsRegion: this.settings.region,
    };
  }
}
