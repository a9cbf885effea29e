/**
 * EC2's facts for the kernel round trips: a two-ENI instance whose MACs are the namespace host's
 * (eth1 primary 10.0.1.10 in 10.0.1.0/24, eth2 10.0.3.158 in 10.0.3.0/24).
 */
import { parseInstanceFacts } from '../../../functions/core/ec2/parse-instance-facts';

const INSTANCE = 'i-0123456789abcdef0';

export function twoEniFacts(primaryMac: string, secondMac: string) {
  const eni = (id: string, mac: string, device: number, subnet: string, ip: string) => ({
    NetworkInterfaceId: id, MacAddress: mac, InterfaceType: 'interface', Status: 'in-use', SubnetId: subnet, VpcId: 'vpc-0a1b2c3d',
    Attachment: { AttachmentId: `eni-attach-0${device}`, DeviceIndex: device, NetworkCardIndex: 0, Status: 'attached', InstanceId: INSTANCE },
    PrivateIpAddress: ip, PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }], SourceDestCheck: true,
  });
  return parseInstanceFacts({
    instanceId: INSTANCE,
    describeNetworkInterfaces: { NetworkInterfaces: [eni('eni-0aaa00000000000a1', primaryMac, 0, 'subnet-0a000001', '10.0.1.10'), eni('eni-0aaa00000000000a2', secondMac, 1, 'subnet-0a000003', '10.0.3.158')] },
    describeSubnets: { Subnets: [{ SubnetId: 'subnet-0a000001', CidrBlock: '10.0.1.0/24', VpcId: 'vpc-0a1b2c3d' }, { SubnetId: 'subnet-0a000003', CidrBlock: '10.0.3.0/24', VpcId: 'vpc-0a1b2c3d' }] },
  });
}
