import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbAttachmentMap } from '../../../functions/adapters/attachments/dynamodb-attachment-map';

const dynamo = mockClient(DynamoDBClient);
const NOW = 1_764_745_200;
const map = () => new DynamoDbAttachmentMap(new DynamoDBClient({}), 'attachments', () => NOW);
const ref = { attachmentId: 'eni-attach-00eb7522370000001', instanceId: 'i-0f1e2d3c4b5a69788', eniId: 'eni-0a1b2c3d4e5f60718' };
const item = (overrides: Record<string, unknown> = {}) => ({ attachmentId: { S: ref.attachmentId }, instanceId: { S: ref.instanceId }, eniId: { S: ref.eniId }, expiresAt: { N: String(NOW + 60) }, ...overrides });

beforeEach(() => dynamo.reset());

describe('DynamoDbAttachmentMap', () => {
  it('stores attachment → instance and ENI with a 90-day TTL in expiresAt', async () => {
    dynamo.on(PutItemCommand).resolves({});

    await map().remember(ref);

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'attachments', Item: item({ expiresAt: { N: String(NOW + 90 * 24 * 3600) } }) });
  });

  it('looks an attachment up', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: item() });

    await expect(map().lookup(ref.attachmentId)).resolves.toEqual(ref);
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'attachments', Key: { attachmentId: { S: ref.attachmentId } } });
  });

  it.each([
    ['absent', undefined],
    ['expired but not yet deleted by TTL', item({ expiresAt: { N: String(NOW - 1) } })],
    ['holding a malformed instance id', item({ instanceId: { S: 'i-../../x' } })],
  ])('treats an item that is %s as unknown', async (_what, found) => {
    dynamo.on(GetItemCommand).resolves({ Item: found as never });

    await expect(map().lookup(ref.attachmentId)).resolves.toBeNull();
  });
});
