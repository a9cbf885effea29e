import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

/** The queue and the bus: they accept (and check the limits SQS and EventBridge check). */
export function mockFleetSinks(onCall: (name: string) => void) {
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommand['input']) => {
    onCall('sqs:SendMessageBatch');
    if ((input.Entries ?? []).length > 10) throw Object.assign(new Error('too many entries'), { name: 'TooManyEntriesInBatchRequest' });
    return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })), Failed: [] };
  });
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).callsFake((input: PutEventsCommand['input']) => {
    onCall('events:PutEvents');
    const entries = input.Entries ?? [];
    const bytes = entries.reduce((sum, entry) => sum + 14 + Buffer.byteLength(entry.Source ?? '') + Buffer.byteLength(entry.DetailType ?? '') + Buffer.byteLength(entry.Detail ?? ''), 0);
    if (entries.length > 10 || bytes > 262_144) throw Object.assign(new Error(`request too large: ${entries.length} entries, ${bytes} bytes`), { name: 'ValidationException' });
    return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `e-${index}` })) };
  });
  return { sqs, events };
}
