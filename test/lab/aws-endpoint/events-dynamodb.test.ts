import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AwsEndpoint } from '../../../scripts/lab/aws-endpoint/aws-endpoint';
import { clientsFor, startLabEndpoint } from './endpoint-fixture';

describe('the local endpoint records EventBridge PutEvents and keeps DynamoDB items', () => {
  let endpoint: AwsEndpoint;
  let clients: ReturnType<typeof clientsFor>;

  beforeEach(async () => {
    endpoint = await startLabEndpoint();
    clients = clientsFor(endpoint);
    endpoint.dynamodb.createTable({ name: 'attachments', hashKey: 'attachmentId' });
  });
  afterEach(() => endpoint.stop());

  it('records each event, hands it to listeners, and fails bad entries one by one', async () => {
    const heard: string[] = [];
    endpoint.events.subscribe((event) => heard.push(event['detail-type']));

    const out = await clients.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'eni-pbr', DetailType: 'ENI PBR Remediation Result', Detail: JSON.stringify({ instanceId: 'i-a', outcome: 'verified' }) },
          { Source: 'eni-pbr', DetailType: 'ENI PBR Remediation Result', Detail: 'not json' },
        ],
      }),
    );

    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(out.Entries?.[1]?.ErrorCode).toBe('MalformedDetail');
    expect(heard).toEqual(['ENI PBR Remediation Result']);
    expect(endpoint.events.recorded[0]?.event).toMatchObject({ source: 'eni-pbr', account: '123456789012', detail: { instanceId: 'i-a', outcome: 'verified' } });
  });

  it('refuses more than 10 entries', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 'eni-pbr', DetailType: 'x', Detail: '{}' }));
    await expect(clients.events.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('puts and gets an item by its hash key; a missing item is an empty answer', async () => {
    const item = { attachmentId: { S: 'eni-attach-1' }, instanceId: { S: 'i-a' }, expiresAt: { N: '1900000000' } };
    await clients.dynamodb.send(new PutItemCommand({ TableName: 'attachments', Item: item }));

    const found = await clients.dynamodb.send(new GetItemCommand({ TableName: 'attachments', Key: { attachmentId: { S: 'eni-attach-1' } } }));
    const missing = await clients.dynamodb.send(new GetItemCommand({ TableName: 'attachments', Key: { attachmentId: { S: 'eni-attach-2' } } }));

    expect(found.Item).toEqual(item);
    expect(missing.Item).toBeUndefined();
  });

  it('deletes an item by its hash key (a missing one too, as DynamoDB does)', async () => {
    const item = { attachmentId: { S: 'eni-attach-3' }, instanceId: { S: 'i-b' } };
    await clients.dynamodb.send(new PutItemCommand({ TableName: 'attachments', Item: item }));

    const deleted = await clients.dynamodb.send(new DeleteItemCommand({ TableName: 'attachments', Key: { attachmentId: { S: 'eni-attach-3' } }, ReturnValues: 'ALL_OLD' }));
    await clients.dynamodb.send(new DeleteItemCommand({ TableName: 'attachments', Key: { attachmentId: { S: 'eni-attach-4' } } }));

    expect(deleted.Attributes).toEqual(item);
    expect((await clients.dynamodb.send(new GetItemCommand({ TableName: 'attachments', Key: { attachmentId: { S: 'eni-attach-3' } } }))).Item).toBeUndefined();
  });

  it('answers the errors the SDK parses: unknown table, missing key, failed condition', async () => {
    await expect(clients.dynamodb.send(new GetItemCommand({ TableName: 'nope', Key: { attachmentId: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(clients.dynamodb.send(new PutItemCommand({ TableName: 'attachments', Item: { instanceId: { S: 'i-a' } } }))).rejects.toMatchObject({ name: 'ValidationException' });
    const put = () =>
      clients.dynamodb.send(new PutItemCommand({ TableName: 'attachments', Item: { attachmentId: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(attachmentId)' }));
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
