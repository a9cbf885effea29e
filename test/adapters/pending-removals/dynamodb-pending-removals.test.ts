import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbPendingRemovals } from '../../../functions/adapters/pending-removals/dynamodb-pending-removals';

const dynamo = mockClient(DynamoDBClient);
const NOW = 1_764_745_200;
const INSTANCE = 'i-0f1e2d3c4b5a69788';
const removals = () => new DynamoDbPendingRemovals(new DynamoDBClient({}), 'pending', () => NOW);
const key = { instanceId: { S: INSTANCE } };

beforeEach(() => dynamo.reset());

describe('DynamoDbPendingRemovals', () => {
  it('records a removal with the time and a one-year TTL in expiresAt', async () => {
    dynamo.on(PutItemCommand).resolves({});

    await removals().mark(INSTANCE);

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'pending', Item: { ...key, markedAt: { N: String(NOW) }, expiresAt: { N: String(NOW + 365 * 24 * 3600) } } });
  });

  it.each([
    ['recorded', { ...key, expiresAt: { N: String(NOW + 60) } }, true],
    ['absent', undefined, false],
    ['expired but not yet deleted by TTL', { ...key, expiresAt: { N: String(NOW - 1) } }, false],
    ['without an expiry', key, false],
  ])('says a removal is pending when one is %s: %s', async (_what, item, pending) => {
    dynamo.on(GetItemCommand).resolves({ Item: item as never });

    await expect(removals().isPending(INSTANCE)).resolves.toBe(pending);
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'pending', Key: key });
  });

  it('clears the removal by its instance id', async () => {
    dynamo.on(DeleteItemCommand).resolves({});

    await removals().clear(INSTANCE);

    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, { TableName: 'pending', Key: key });
  });
});
