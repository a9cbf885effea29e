import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error';

/** How long a FIFO queue remembers a deduplication id (SQS: 5 minutes). */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export interface QueueSettings {
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  /** the queue's delay: FIFO queues take no per-message delay, so eni-pbr's settle delay is this */
  readonly delaySeconds: number;
  readonly contentBasedDeduplication: boolean;
  /** the dead-letter queue and how many receives a message gets before it moves there */
  readonly redrive?: { readonly deadLetterQueue: FifoQueue; readonly maxReceiveCount: number };
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequenceNumber: string;
  readonly sentAt: number;
  readonly attributes: Record<string, unknown>;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

let sequence = 10_000_000_000_000_000_000n;

/**
 * An SQS FIFO queue: strict order within a message group, one group at a time in flight (a group with
 * a message in flight delivers nothing else), visibility timeout, the queue's delay, 5-minute
 * deduplication, and redrive to the DLQ once a message was received maxReceiveCount times.
 */
export class FifoQueue {
  private messages: QueuedMessage[] = [];
  private readonly seen = new Map<string, { messageId: string; sequenceNumber: string; until: number }>();
  /** every message moved to this queue's DLQ: the lab shows them */
  readonly redriven: QueuedMessage[] = [];

  constructor(readonly settings: QueueSettings) {}

  send(body: string, groupId: string | undefined, deduplicationId: string | undefined, attributes: Record<string, unknown> = {}, now = Date.now()): { messageId: string; sequenceNumber: string } {
    if (groupId === undefined || groupId === '') throw new AwsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    const dedup = deduplicationId ?? (this.settings.contentBasedDeduplication ? createHash('sha256').update(body).digest('hex') : undefined);
    if (dedup === undefined) throw new AwsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const previous = this.seen.get(dedup);
    // A duplicate inside the window is accepted and answered as the original, never delivered twice.
    if (previous !== undefined && previous.until > now) return { messageId: previous.messageId, sequenceNumber: previous.sequenceNumber };
    sequence += 1n;
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body,
      groupId,
      deduplicationId: dedup,
      sequenceNumber: sequence.toString(),
      sentAt: now,
      attributes,
      visibleAt: now + this.settings.delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.push(message);
    this.seen.set(dedup, { messageId: message.messageId, sequenceNumber: message.sequenceNumber, until: now + DEDUPLICATION_WINDOW_MS });
    return { messageId: message.messageId, sequenceNumber: message.sequenceNumber };
  }

  /** Up to `max` messages, oldest first, skipping groups with a message in flight; redrives the exhausted. */
  receive(max: number, visibilityTimeoutSeconds: number, now = Date.now()): QueuedMessage[] {
    const blocked = new Set(this.messages.filter((m) => m.receiveCount > 0 && m.visibleAt > now).map((m) => m.groupId));
    const taken: QueuedMessage[] = [];
    for (const message of [...this.messages]) {
      if (taken.length >= max) break;
      if (blocked.has(message.groupId)) continue;
      if (message.visibleAt > now) {
        blocked.add(message.groupId); // later messages of the group wait behind it
        continue;
      }
      const redrive = this.settings.redrive;
      if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
        this.moveToDeadLetterQueue(message, redrive.deadLetterQueue, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = Buffer.from(`${message.messageId}:${message.receiveCount}:${randomUUID()}`).toString('base64');
      taken.push(message);
    }
    return taken;
  }

  private moveToDeadLetterQueue(message: QueuedMessage, deadLetterQueue: FifoQueue, now: number): void {
    this.messages = this.messages.filter((m) => m !== message);
    this.redriven.push(message);
    deadLetterQueue.messages.push({ ...message, visibleAt: now, receiveCount: 0, firstReceivedAt: undefined, receiptHandle: undefined });
  }

  private inFlight(receiptHandle: string, now: number): QueuedMessage {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message === undefined) throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    if (message.visibleAt <= now) throw new AwsError('MessageNotInflight', 'The message referred to is not in flight.');
    return message;
  }

  delete(receiptHandle: string): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message === undefined) throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    this.messages = this.messages.filter((m) => m !== message);
  }

  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number, now = Date.now()): void {
    this.inFlight(receiptHandle, now).visibleAt = now + visibilityTimeoutSeconds * 1000;
  }

  counts(now = Date.now()): { visible: number; notVisible: number; delayed: number } {
    const inFlight = (m: QueuedMessage) => m.receiveCount > 0 && m.visibleAt > now;
    const delayed = (m: QueuedMessage) => m.receiveCount === 0 && m.visibleAt > now;
    return {
      visible: this.messages.filter((m) => !inFlight(m) && !delayed(m)).length,
      notVisible: this.messages.filter(inFlight).length,
      delayed: this.messages.filter(delayed).length,
    };
  }

  /** When the next message becomes receivable (long polling waits for it), or undefined when empty. */
  nextVisibleAt(): number | undefined {
    return this.messages.length === 0 ? undefined : Math.min(...this.messages.map((m) => m.visibleAt));
  }
}
