import type { ManagerName } from '../model/finding';
import type { ObservedManagers } from '../model/observed-host';

/**
 * Who made a foreign table: its number says which convention it follows, the evidence on disk confirms.
 * cloud-init numbers tables 100 + n, ec2-net-utils 10000 + 100·card + device, nm-cloud-setup 30200+
 * and 30400+, the VPC CNI uses the device index. cloud-init's hotplug rules also carry their own
 * signature — `proto static` (netplan renders them) to a table 100 + n — which identifies them where
 * the disk evidence cannot be seen (a container, a network namespace).
 */
export function inferManager(table: string, managers: ObservedManagers, ruleProtocol?: string): ManagerName {
  const id = Number(table);
  if (!Number.isInteger(id)) return 'unknown';
  const cloudInitTable = id >= 100 && id < 200;
  if (cloudInitTable && (managers.cloudInitHotplug || managers.netplan || ruleProtocol === 'static')) return 'cloud-init';
  if (id >= 10000 && id < 20000 && managers.ec2NetUtils) return 'ec2-net-utils';
  if (id >= 30200 && id < 30600 && managers.nmCloudSetup) return 'nm-cloud-setup';
  if (id >= 1 && id < 100 && managers.vpcCni) return 'vpc-cni';
  return 'unknown';
}
