import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EniIdSchema, InstanceIdSchema } from '../../service/aws-ids';
import type { AttachmentMapPort, AttachmentRef } from '../../service/ports';

// An attachment can live for years; entries are refreshed on every attach, launch and remediation,
// and DynamoDB's TTL (attribute `expiresAt`, epoch seconds) drops the ones nobody refreshed.
const TTL_SECONDS = 90 * 24 * 3600;

/** attachmentId → {instanceId, eniId}: a Detach event carries only the attachment id. */
export class DynamoDbAttachmentMap implements AttachmentMapPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async remember(ref: AttachmentRef): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          attachmentId: { S: ref.attachmentId },
          instanceId: { S: ref.instanceId },
          eniId: { S: ref.eniId },
          expiresAt: { N: String(this.nowSeconds() + TTL_SECONDS) },
        },
      }),
    );
  }

  async lookup(attachmentId: string): Promise<AttachmentRef | null> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { attachmentId: { S: attachmentId } } }));
    const instanceId = Item?.instanceId?.S;
    const eniId = Item?.eniId?.S;
    // TTL deletion lags by up to days: an expired item is as good as absent.
    const expired = Number(Item?.expiresAt?.N ?? 0) < this.nowSeconds();
    if (expired || !InstanceIdSchema.safeParse(instanceId).success || !EniIdSchema.safeParse(eniId).success) return null;
    return { attachmentId, instanceId: String(instanceId), eniId: String(eniId) };
  }
}
