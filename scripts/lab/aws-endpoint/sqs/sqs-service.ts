import { createHash } from 'node:crypto';
import { AwsError, requireString } from '../aws-error';
import type { JsonService } from '../wire/json-wire';
import { FifoQueue, type QueuedMessage, type QueueSettings } from './fifo-queue';

const ACCOUNT = '123456789012';
const MAX_BODY_BYTES = 262_144;
const MAX_WAIT_SECONDS = 20;
const LONG_POLL_STEP_MS = 20; // long polling re-checks this often: far below any delay the service uses

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** SQS (JSON 1.0, query-compatible errors) over FIFO queues only: eni-pbr uses nothing else. */
export class SqsService implements JsonService {
  readonly targetPrefix = 'AmazonSQS';
  readonly contentType = 'application/x-amz-json-1.0';
  readonly errorNamespace = 'com.amazonaws.sqs';
  readonly queryErrorCodes = { QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue' };
  private readonly queues = new Map<string, FifoQueue>();
  private stopped = false;

  constructor(private readonly endpointUrl: () => string) {}

  createQueue(settings: QueueSettings): string {
    if (!settings.name.endsWith('.fifo')) throw new AwsError('InvalidParameterValue', 'only FIFO queues (.fifo) are emulated');
    this.queues.set(settings.name, new FifoQueue(settings));
    return this.urlOf(settings.name);
  }

  urlOf(name: string): string {
    return `${this.endpointUrl()}/${ACCOUNT}/${name}`;
  }

  queue(name: string): FifoQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  /** Ends long polls at once (the endpoint is stopping). */
  stop(): void {
    this.stopped = true;
  }

  /** The queue a QueueUrl names: its last path segment, whatever host the caller was configured with. */
  private byUrl(input: Record<string, unknown>): FifoQueue {
    return this.queue(requireString(input, 'QueueUrl').split('/').pop() ?? '');
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'GetQueueUrl':
        return { QueueUrl: this.urlOf(this.queue(requireString(input, 'QueueName')).settings.name) };
      case 'SendMessage':
        return this.sendMessage(input);
      case 'ReceiveMessage':
        return this.receiveMessage(input);
      case 'DeleteMessage':
        this.byUrl(input).delete(requireString(input, 'ReceiptHandle'));
        return {};
      case 'ChangeMessageVisibility':
        this.byUrl(input).changeVisibility(requireString(input, 'ReceiptHandle'), seconds(input.VisibilityTimeout, 'VisibilityTimeout', 43_200));
        return {};
      case 'GetQueueAttributes':
        return { Attributes: this.attributes(this.byUrl(input), (input.AttributeNames ?? ['All']) as string[]) };
      default:
        throw new AwsError('UnsupportedOperation', `AmazonSQS.${operation} is not emulated`);
    }
  }

  private sendMessage(input: Record<string, unknown>): unknown {
    const queue = this.byUrl(input);
    const body = requireString(input, 'MessageBody', 'MissingParameter');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new AwsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    if (input.DelaySeconds !== undefined) {
      throw new AwsError('InvalidParameterValue', `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }
    const sent = queue.send(body, input.MessageGroupId as string | undefined, input.MessageDeduplicationId as string | undefined, (input.MessageAttributes ?? {}) as Record<string, unknown>);
    return { MessageId: sent.messageId, MD5OfMessageBody: md5(body), SequenceNumber: sent.sequenceNumber };
  }

  private async receiveMessage(input: Record<string, unknown>): Promise<unknown> {
    const queue = this.byUrl(input);
    const max = input.MaxNumberOfMessages === undefined ? 1 : Number(input.MaxNumberOfMessages);
    if (!Number.isInteger(max) || max < 1 || max > 10) throw new AwsError('InvalidParameterValue', `Value ${String(input.MaxNumberOfMessages)} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const visibility = input.VisibilityTimeout === undefined ? queue.settings.visibilityTimeoutSeconds : seconds(input.VisibilityTimeout, 'VisibilityTimeout', 43_200);
    const deadline = Date.now() + seconds(input.WaitTimeSeconds ?? 0, 'WaitTimeSeconds', MAX_WAIT_SECONDS) * 1000;
    let messages = queue.receive(max, visibility);
    while (messages.length === 0 && Date.now() < deadline && !this.stopped) {
      await sleep(LONG_POLL_STEP_MS);
      messages = queue.receive(max, visibility);
    }
    const wanted = [...((input.AttributeNames ?? []) as string[]), ...((input.MessageSystemAttributeNames ?? []) as string[])];
    return { Messages: messages.map((message) => toWire(message, wanted, (input.MessageAttributeNames ?? []) as string[])) };
  }

  private attributes(queue: FifoQueue, names: readonly string[]): Record<string, string> {
    const counts = queue.counts();
    const s = queue.settings;
    const all: Record<string, string> = {
      QueueArn: `arn:aws:sqs:ap-northeast-1:${ACCOUNT}:${s.name}`,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      VisibilityTimeout: String(s.visibilityTimeoutSeconds),
      DelaySeconds: String(s.delaySeconds),
      FifoQueue: 'true',
      ContentBasedDeduplication: String(s.contentBasedDeduplication),
      ...(s.redrive
        ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:ap-northeast-1:${ACCOUNT}:${s.redrive.deadLetterQueue.settings.name}`, maxReceiveCount: s.redrive.maxReceiveCount }) }
        : {}),
    };
    return names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
  }
}

function seconds(value: unknown, name: string, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) throw new AwsError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between 0 and ${max}.`);
  return number;
}

function toWire(message: QueuedMessage, wanted: readonly string[], attributeNames: readonly string[]): Record<string, unknown> {
  const system: Record<string, string> = {
    SenderId: 'AROAEXAMPLEENIPBR:intake',
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? ''),
    MessageDeduplicationId: message.deduplicationId,
    MessageGroupId: message.groupId,
    SequenceNumber: message.sequenceNumber,
  };
  const all = wanted.includes('All');
  const attributes = Object.fromEntries(Object.entries(system).filter(([name]) => all || wanted.includes(name)));
  const messageAttributes = Object.fromEntries(Object.entries(message.attributes).filter(([name]) => attributeNames.includes('All') || attributeNames.includes(name)));
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5(message.body),
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}),
  };
}
