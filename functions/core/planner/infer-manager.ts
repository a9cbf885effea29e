import type { ManagerName } from '../model/finding';
import type { ObservedManagers } from '../model/observed-host';

/**
 * Who made a foreign table: its number says which convention it follows, the evidence on disk confirms.
 * cloud-init numbers tables 100 + n, ec2-net-utils 10000 + 100·card + device, nm-cloud-setup 30200+
 * and 30400+, the VPC CNI uses the device index.
 */
export function inferManager(table: string, managers: ObservedManagers): ManagerName {
  const id = Number(table);
  if (!Number.isInteger(id)) return 'unknown';
  if (id >= 100 && id < 200 && (managers.cloudInitHotplug || managers.netplan)) return 'cloud-init';
  if (id >= 10000 && id < 20000 && managers.ec2NetUtils) return 'ec2-net-utils';
  if (id >= 30200 && id < 30600 && managers.nmCloudSetup) return 'nm-cloud-setup';
  if (id >= 1 && id < 100 && managers.vpcCni) return 'vpc-cni';
  return 'unknown';
}
