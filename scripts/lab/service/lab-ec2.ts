import { readFileSync, writeFileSync } from 'node:fs';
import type { NetworkInterface, Subnet } from '@aws-sdk/client-ec2';
import { LAB_CLIENT2_IP, LAB_CLIENT_IP } from '../../../functions/lab/lab-matrix';
import { labHotplug } from '../../../functions/lab/lab-hotplug';
import type { LabInfo } from '../../../functions/lab/lab-options';
import type { Ec2HostSide, Ec2Seed, Ec2State } from '../aws-endpoint/ec2/ec2-state';

/**
 * EC2's view of a lab, for the endpoint: seeded from the JSON the lab wrote (lib/describe-json.sh),
 * written back after every change so `lab.sh info`'s files (and `eni-pbr remediate --enis`) stay true,
 * and every change carried out on the kernel by lab.sh (lib/hotplug.sh).
 */
export function labEc2Seed(lab: LabInfo): Ec2Seed {
  const { NetworkInterfaces } = JSON.parse(readFileSync(lab.enisFile, 'utf8')) as { NetworkInterfaces: NetworkInterface[] };
  const { Subnets } = JSON.parse(readFileSync(lab.subnetsFile, 'utf8')) as { Subnets: Subnet[] };
  return {
    networkInterfaces: NetworkInterfaces,
    subnets: Subnets,
    instances: { [lab.instanceId]: { Name: `eni-pbr lab ${lab.name}` } },
    // The lab's clients are other tenants of the VPC: EC2 never hands their addresses to the instance.
    reservedAddresses: [LAB_CLIENT_IP, LAB_CLIENT2_IP],
  };
}

/** ENI index in the lab (lib/spec.sh) = its position in the lab's first DescribeNetworkInterfaces. */
export function labHostSide(lab: LabInfo, seed: Ec2Seed): Ec2HostSide {
  const indexOf = (eni: NetworkInterface): number => seed.networkInterfaces.findIndex((candidate) => candidate.NetworkInterfaceId === eni.NetworkInterfaceId);
  return {
    attached: async (eni) => void (await labHotplug.attach(lab.name, indexOf(eni))),
    detached: async (eni) => void (await labHotplug.detach(lab.name, indexOf(eni))),
    assigned: async (eni, ips) => {
      for (const ip of ips) await labHotplug.assign(lab.name, indexOf(eni), ip);
    },
    unassigned: async (eni, ips) => {
      for (const ip of ips) await labHotplug.unassign(lab.name, indexOf(eni), ip);
    },
  };
}

export function writeLabEc2(lab: LabInfo): (state: Ec2State) => void {
  return (state) => {
    writeFileSync(lab.enisFile, `${JSON.stringify({ NetworkInterfaces: state.networkInterfaces() }, null, 2)}\n`);
  };
}
