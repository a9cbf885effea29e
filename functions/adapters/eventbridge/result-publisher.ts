import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { packBySize } from '../../service/audit/pack-by-size';
import type { ResultPublisherPort } from '../../service/ports';

export const RESULT_SOURCE = 'eni-pbr';
export const REMEDIATION_RESULT = 'ENI PBR Remediation Result';

// PutEvents: 10 entries a request, 256 KB a request (Source, DetailType and Detail bytes, + 14 for Time).
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 262_144;

function sizeOf(entry: { Source: string; DetailType: string; Detail: string }): number {
  return 14 + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);
}

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

  /**
   * Many details, as few PutEvents calls as fit: ≤ 10 entries and ≤ 256 KB per request. Entries the
   * service rejects (FailedEntryCount) are sent once more; what still fails is counted, not thrown, so
   * one lost chunk never hides the rest. Returns how many entries were not published.
   */
  async publishAll(details: readonly Readonly<Record<string, unknown>>[]): Promise<number> {
    let entries = details.map((detail) => ({ Source: RESULT_SOURCE, DetailType: this.detailType, Detail: JSON.stringify(detail), EventBusName: this.eventBusName }));
    for (let attempt = 0; attempt < 2 && entries.length > 0; attempt += 1) {
      const failed: typeof entries = [];
      for (const request of packBySize(entries, sizeOf, { maxBytes: MAX_REQUEST_BYTES, maxCount: MAX_ENTRIES })) {
        try {
          const { FailedEntryCount = 0, Entries = [] } = await this.client.send(new PutEventsCommand({ Entries: request }));
          if (FailedEntryCount > 0) failed.push(...request.filter((_, index) => Entries[index]?.ErrorCode !== undefined));
        } catch {
          failed.push(...request);
        }
      }
      entries = failed;
    }
    return entries.length;
  }

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
