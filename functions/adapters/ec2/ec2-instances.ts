import { DescribeInstancesCommand, ModifyNetworkInterfaceAttributeCommand, paginateDescribeInstances, paginateDescribeTags, type EC2Client } from '@aws-sdk/client-ec2';
import type { InstanceRecord } from '../../service/ports';

// DescribeInstances and DescribeTags take up to 1,000 results a page.
const PAGE_SIZE = 1000;

/** DescribeInstances (state, tags) and the one write the service makes to EC2. */
export class Ec2Instances {
  constructor(private readonly client: EC2Client) {}

  /** null when EC2 no longer knows the instance (terminated long ago, or never existed). */
  async readInstance(instanceId: string): Promise<InstanceRecord | null> {
    try {
      const { Reservations = [] } = await this.client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = Reservations.flatMap((reservation) => reservation.Instances ?? []).find((candidate) => candidate.InstanceId === instanceId);
      if (instance === undefined) return null;
      const tags: Record<string, string> = {};
      for (const { Key, Value } of instance.Tags ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
      return { instanceId, state: instance.State?.Name ?? 'unknown', tags };
    } catch (error) {
      if (error instanceof Error && error.name === 'InvalidInstanceID.NotFound') return null;
      throw error;
    }
  }

  /** Running instances carrying every one of these tags (the audit's `tags`): one filter per tag, ANDed by EC2. */
  async findByTags(tags: Readonly<Record<string, string>>): Promise<string[]> {
    const Filters = [
      { Name: 'instance-state-name', Values: ['running'] },
      ...Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
    ];
    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) if (instance.InstanceId !== undefined) ids.push(instance.InstanceId);
    }
    return ids;
  }

  /** instanceId → value, for every instance carrying `key`: one DescribeTags for the fleet, not one call per instance. */
  async readTagEverywhere(key: string): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    const Filters = [
      { Name: 'resource-type', Values: ['instance'] },
      { Name: 'key', Values: [key] },
    ];
    for await (const page of paginateDescribeTags({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      for (const tag of page.Tags ?? []) if (tag.ResourceId !== undefined) values.set(tag.ResourceId, tag.Value ?? '');
    }
    return values;
  }

  /** The article's alternative to PBR for forwarded traffic: the ENI stops dropping foreign sources. */
  async disableSourceDestCheck(eniId: string): Promise<void> {
    await this.client.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: { Value: false } }));
  }
}
