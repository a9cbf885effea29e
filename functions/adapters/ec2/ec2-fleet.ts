import type { FleetEc2Port, FleetNetworkInterface } from '../../service/audit/audit-ports';
import type { Ec2Instances } from './ec2-instances';
import type { Ec2Interfaces } from './ec2-interfaces';

export const MANAGED_TAG = 'eni-pbr:managed';

/** The audit's view of EC2, over the service's two EC2 adapters (bulk reads only). */
export function ec2Fleet(interfaces: Ec2Interfaces, instances: Ec2Instances): FleetEc2Port {
  return {
    describeAttachedInterfaces: (instanceIds) => interfaces.describeAttachedInterfaces(instanceIds) as Promise<FleetNetworkInterface[]>,
    describeSubnets: (subnetIds) => interfaces.describeSubnetsInBulk(subnetIds),
    findInstancesByTags: (tags) => instances.findByTags(tags),
    readManagedTags: () => instances.readTagEverywhere(MANAGED_TAG),
  };
}
