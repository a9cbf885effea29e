import { DescribeInstancesCommand, ModifyNetworkInterfaceAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { InstanceRecord } from '../../service/ports';

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

  /** The article's alternative to PBR for forwarded traffic: the ENI stops dropping foreign sources. */
  async disableSourceDestCheck(eniId: string): Promise<void> {
    await this.client.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: { Value: false } }));
  }
}
