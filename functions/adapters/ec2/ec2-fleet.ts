import { paginateDescribeInstances, paginateDescribeNetworkInterfaces, paginateDescribeSubnets, paginateDescribeTags, type EC2Client, type Filter, type NetworkInterface, type Subnet } from '@aws-sdk/client-ec2';
import type { FleetEc2Port } from '../../service/audit/audit-ports';

export const MANAGED_TAG = 'eni-pbr:managed';

// These Describe calls return up to 1,000 results a page; a filter takes at most 200 values.
const PAGE_SIZE = 1000;
const FILTER_VALUES_MAX = 200;

/**
 * EC2 read in bulk for the fleet audit: a few paginated calls for a whole Region instead of one per
 * instance. Its own file, not methods of Ec2Interfaces/Ec2Instances: the remediate bundle imports those,
 * and its role grants exactly the calls its bundle contains.
 */
export class Ec2Fleet implements FleetEc2Port {
  constructor(private readonly client: EC2Client) {}

  /** Every attached ENI in the Region, or those of the given instances (200 ids a filter). */
  async describeAttachedInterfaces(instanceIds?: readonly string[]): Promise<NetworkInterface[]> {
    const attached: Filter = { Name: 'attachment.status', Values: ['attached'] };
    if (instanceIds === undefined) return this.interfaces([attached]);
    const all: NetworkInterface[] = [];
    for (const chunk of chunks(instanceIds)) all.push(...(await this.interfaces([attached, { Name: 'attachment.instance-id', Values: chunk }])));
    return all;
  }

  /** By filter, not SubnetIds: a subnet deleted meanwhile is absent instead of failing the whole call. */
  async describeSubnets(subnetIds: readonly string[]): Promise<Subnet[]> {
    const all: Subnet[] = [];
    for (const chunk of chunks(subnetIds)) {
      for await (const page of paginateDescribeSubnets({ client: this.client, pageSize: PAGE_SIZE }, { Filters: [{ Name: 'subnet-id', Values: chunk }] })) all.push(...(page.Subnets ?? []));
    }
    return all;
  }

  /** Running instances carrying every one of these tags: one filter per tag, ANDed by EC2. */
  async findInstancesByTags(tags: Readonly<Record<string, string>>): Promise<string[]> {
    const Filters = [{ Name: 'instance-state-name', Values: ['running'] }, ...Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }))];
    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) if (instance.InstanceId !== undefined) ids.push(instance.InstanceId);
    }
    return ids;
  }

  /** instanceId → value of `eni-pbr:managed`: one DescribeTags for the fleet, not one call per instance. */
  async readManagedTags(): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    const Filters = [
      { Name: 'resource-type', Values: ['instance'] },
      { Name: 'key', Values: [MANAGED_TAG] },
    ];
    for await (const page of paginateDescribeTags({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      for (const tag of page.Tags ?? []) if (tag.ResourceId !== undefined) values.set(tag.ResourceId, tag.Value ?? '');
    }
    return values;
  }

  private async interfaces(Filters: Filter[]): Promise<NetworkInterface[]> {
    const all: NetworkInterface[] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) all.push(...(page.NetworkInterfaces ?? []));
    return all;
  }
}

function chunks(values: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let start = 0; start < values.length; start += FILTER_VALUES_MAX) out.push(values.slice(start, start + FILTER_VALUES_MAX));
  return out;
}
