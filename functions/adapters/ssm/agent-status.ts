import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { AgentStatusPort } from '../../service/ports';

/** DescribeInstanceInformation's PingStatus: Online | ConnectionLost | Inactive; null when not registered. */
export class SsmAgentStatus implements AgentStatusPort {
  constructor(private readonly client: SSMClient) {}

  async pingStatus(instanceId: string): Promise<string | null> {
    const { InstanceInformationList = [] } = await this.client.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
    );
    return InstanceInformationList.find((info) => info.InstanceId === instanceId)?.PingStatus ?? null;
  }
}
