import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, paginateDescribeNetworkInterfaces, type EC2Client, type Filter, type NetworkInterface } from '@aws-sdk/client-ec2';
import type { AttachmentRef, InstanceInterfaces, InterfaceLookupPort } from '../../service/ports';
import { summaryOf } from './interface-summary';

// DescribeNetworkInterfaces takes 5–1000 per page; an instance has at most a few dozen ENIs.
const PAGE_SIZE = 1000;

/** DescribeNetworkInterfaces / DescribeSubnets: the ENIs of an instance, and id → instance lookups. */
export class Ec2Interfaces implements InterfaceLookupPort {
  constructor(private readonly client: EC2Client) {}

  /** Every ENI attached to the instance (all pages), raw for the core and summarised for the service. */
  async readInterfaces(instanceId: string): Promise<InstanceInterfaces> {
    const all = await this.describe([{ Name: 'attachment.instance-id', Values: [instanceId] }]);
    const interfaces = all.map(summaryOf).filter((summary) => summary !== null);
    return { raw: { NetworkInterfaces: all }, interfaces };
  }

  async describeSubnets(subnetIds: readonly string[]): Promise<unknown> {
    if (subnetIds.length === 0) return { Subnets: [] };
    const { Subnets = [] } = await this.client.send(new DescribeSubnetsCommand({ SubnetIds: [...new Set(subnetIds)] }));
    return { Subnets };
  }

  /** By `attachment.attachment-id`: matches while the ENI is attached or still `detaching`. */
  async findByAttachment(attachmentId: string): Promise<AttachmentRef | null> {
    const found = await this.describe([{ Name: 'attachment.attachment-id', Values: [attachmentId] }]);
    return firstRef(found);
  }

  async findByInterface(eniId: string): Promise<AttachmentRef | null> {
    try {
      const { NetworkInterfaces = [] } = await this.client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));
      return firstRef(NetworkInterfaces);
    } catch (error) {
      // Deleted between the event and now: nothing left to route for.
      if (error instanceof Error && error.name === 'InvalidNetworkInterfaceID.NotFound') return null;
      throw error;
    }
  }

  private async describe(Filters: Filter[]): Promise<NetworkInterface[]> {
    const all: NetworkInterface[] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      all.push(...(page.NetworkInterfaces ?? []));
    }
    return all;
  }
}

function firstRef(interfaces: readonly NetworkInterface[]): AttachmentRef | null {
  for (const eni of interfaces) {
    const summary = summaryOf(eni);
    if (summary !== null) return { attachmentId: summary.attachmentId, instanceId: summary.instanceId, eniId: summary.eniId };
  }
  return null;
}
