import { randomUUID } from 'node:crypto';
import { AwsError, validationError } from '../aws-error';
import type { JsonService } from '../wire/json-wire';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 262_144; // PutEvents' whole request, 256 KB

/** An event as EventBridge delivers it to a rule's target. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export type BusListener = (event: BusEvent, busName: string) => void;

/**
 * EventBridge (JSON 1.1): PutEvents is recorded and offered to listeners (the harness's rules, taken from
 * the template); CloudTrail's events reach the default bus the same way (`emit`).
 */
export class EventBus implements JsonService {
  readonly targetPrefix = 'AWSEvents';
  readonly contentType = 'application/x-amz-json-1.1';
  readonly errorNamespace = '';
  /** every event put or emitted, in order, with when it arrived (ms since the epoch) */
  readonly recorded: { busName: string; event: BusEvent; receivedAt: number }[] = [];
  private readonly listeners: BusListener[] = [];

  subscribe(listener: BusListener): void {
    this.listeners.push(listener);
  }

  emit(source: string, detailType: string, detail: Record<string, unknown>, resources: readonly string[] = [], busName = 'default'): BusEvent {
    const event: BusEvent = { version: '0', id: randomUUID(), 'detail-type': detailType, source, account: ACCOUNT, time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), region: REGION, resources, detail };
    this.recorded.push({ busName, event, receivedAt: Date.now() });
    for (const listener of this.listeners) listener(event, busName);
    return event;
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    if (operation !== 'PutEvents') throw new AwsError('UnknownOperationException', `AWSEvents.${operation} is not emulated`);
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw validationError(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
    }
    if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
    // Per-entry problems do not fail the call: they come back as FailedEntryCount and an ErrorCode per entry.
    const results = (entries as Record<string, unknown>[]).map((entry) => {
      const detail = parseDetail(entry.Detail);
      if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || detail === undefined) {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and a JSON object Detail are required' };
      }
      if (entry.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `Not authorized for the source ${entry.Source}` };
      const event = this.emit(entry.Source, entry.DetailType, detail, (entry.Resources ?? []) as string[], typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default');
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }
}

function parseDetail(detail: unknown): Record<string, unknown> | undefined {
  if (typeof detail !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
