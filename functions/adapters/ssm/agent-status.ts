import { DescribeInstanceInformationCommand, paginateDescribeInstanceInformation, type SSMClient } from '@aws-sdk/client-ssm';
import type { ManagedNode } from '../../service/audit/audit-ports';
import type { AgentStatusPort } from '../../service/ports';

// DescribeInstanceInformation returns 5–50 a page.
const PAGE_SIZE = 50;

/** DescribeInstanceInformation's PingStatus: Online | ConnectionLost | Inactive; null when not registered. */
export class SsmAgentStatus implements AgentStatusPort {
  constructor(private readonly client: SSMClient) {}

  async pingStatus(instanceId: string): Promise<string | null> {
    const { InstanceInformationList = [] } = await this.client.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
    );
    return InstanceInformationList.find((info) => info.InstanceId === instanceId)?.PingStatus ?? null;
  }

  /**
   * The fleet audit's read: 50 instances a call (DescribeInstanceInformation's page limit), filtered by
   * id so the calls follow the audit's targets, not every node the account has registered.
   */
  async describeManagedNodes(instanceIds: readonly string[]): Promise<Map<string, ManagedNode>> {
    const nodes = new Map<string, ManagedNode>();
    for (let start = 0; start < instanceIds.length; start += PAGE_SIZE) {
      const Filters = [{ Key: 'InstanceIds', Values: instanceIds.slice(start, start + PAGE_SIZE) }];
      for await (const page of paginateDescribeInstanceInformation({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
        for (const info of page.InstanceInformationList ?? []) {
          if (info.InstanceId === undefined) continue;
          nodes.set(info.InstanceId, { instanceId: info.InstanceId, pingStatus: info.PingStatus ?? 'Unknown', ...(info.PlatformType === undefined ? {} : { platformType: info.PlatformType }) });
        }
      }
    }
    return nodes;
  }
}
