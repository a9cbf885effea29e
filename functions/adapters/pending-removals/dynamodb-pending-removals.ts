import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PendingRemovalPort } from '../../service/ports';

// An instance may stay stopped for months; a year later the opt-out is left to a removal by hand.
const TTL_SECONDS = 365 * 24 * 3600;

/** instanceId → a removal waiting for the instance's next start (the PendingRemovalsTable). */
export class DynamoDbPendingRemovals implements PendingRemovalPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async mark(instanceId: string): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: { instanceId: { S: instanceId }, markedAt: { N: String(this.nowSeconds()) }, expiresAt: { N: String(this.nowSeconds() + TTL_SECONDS) } } }),
    );
  }

  async isPending(instanceId: string): Promise<boolean> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { instanceId: { S: instanceId } } }));
    // TTL deletion lags by up to days: an expired item is as good as absent
    return Item !== undefined && Number(Item.expiresAt?.N ?? 0) >= this.nowSeconds();
  }

  async clear(instanceId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { instanceId: { S: instanceId } } }));
  }
}
