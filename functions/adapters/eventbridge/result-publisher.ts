import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ResultPublisherPort } from '../../service/ports';

export const RESULT_SOURCE = 'eni-pbr';
export const REMEDIATION_RESULT = 'ENI PBR Remediation Result';

/** PutEvents can fail per entry with a 200 response: FailedEntryCount says so. */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

/** Publishes each outcome on the bus (source `eni-pbr`) so users can route it to chat or tickets. */
export class EventBridgeResultPublisher implements ResultPublisherPort {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
    private readonly detailType: string = REMEDIATION_RESULT,
  ) {}

  async publish(detail: Readonly<Record<string, unknown>>): Promise<void> {
    const { FailedEntryCount = 0, Entries = [] } = await this.client.send(
      new PutEventsCommand({ Entries: [{ Source: RESULT_SOURCE, DetailType: this.detailType, Detail: JSON.stringify(detail), EventBusName: this.eventBusName }] }),
    );
    if (FailedEntryCount > 0) {
      const failed = Entries.find((entry) => entry.ErrorCode !== undefined);
      throw new PublishFailedError(`PutEvents rejected the result: ${failed?.ErrorCode ?? 'unknown'}: ${failed?.ErrorMessage ?? ''}`);
    }
  }
}
