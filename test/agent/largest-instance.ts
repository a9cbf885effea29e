import type { NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

export const ENI_COUNT = 15;
export const IPS_PER_ENI = 50;

/** The plan lines for the largest instance: per ENI 50 addresses, a subnet and a default route in its
 *  own table, one /32 rule per address, a delegated /28 prefix rule, a fwmark rule; one connmark line. */
export function largestInstancePlan(macs: readonly string[]): string {
  const lines: string[] = [];
  let pref = 20000;
  macs.forEach((mac, index) => {
    const eni = index + 1;
    const table = 20000 + eni;
    for (let ip = 10; ip < 10 + IPS_PER_ENI; ip += 1) lines.push(`addr add ${mac} 10.${eni}.0.${ip}/20`);
    lines.push(`route replace 4 ${table} 10.${eni}.0.0/20 dev ${mac}`, `route replace 4 ${table} default via 10.${eni}.0.1 dev ${mac}`);
    for (let ip = 10; ip < 10 + IPS_PER_ENI; ip += 1) lines.push(`rule add 4 ${pref++} from 10.${eni}.0.${ip}/32 table ${table}`);
    lines.push(`rule add 4 ${pref++} from 10.${eni}.8.0/28 table ${table}`);
    lines.push(`rule add 4 ${21000 + eni} fwmark 0x${eni.toString(16)}/0x7f table ${table}`);
  });
  lines.push('sysctl net.ipv4.conf.all.src_valid_mark 1');
  lines.push(`connmark 0x7f ${macs.map((mac, index) => `${mac}=0x${(index + 1).toString(16)}`).join(' ')}`);
  return planOf(...lines);
}

export async function buildLargestInstance(host: NamespaceHost): Promise<void> {
  const { output } = await applyPlan(host.ns, largestInstancePlan(host.macs));
  if (output.result.status !== 'applied') throw new Error(`building the largest instance failed: ${output.result.error}`);
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
/** ENI i of the largest instance as EC2 describes it: subnet 10.<i+1>.0.0/20 of its own, 50 IPv4 .10–.59 (.10 primary). */
export const largestInstanceIp = (index: number, ip: number): string => `10.${index + 1}.0.${ip}`;
const INSTANCE_ID = 'i-0a00000000000750a';

/** DescribeNetworkInterfaces/DescribeSubnets for the largest instance, one ENI per subnet, on the host's MACs. */
export function largestInstanceEc2(macs: readonly string[]): { describeNetworkInterfaces: unknown; describeSubnets: unknown } {
  const NetworkInterfaces = macs.map((mac, index) => ({
    Attachment: { DeviceIndex: index, NetworkCardIndex: 0, InstanceId: INSTANCE_ID, Status: 'attached' },
    InterfaceType: 'interface',
    MacAddress: mac,
    NetworkInterfaceId: `eni-0a000000000000${hex2(index)}0`,
    PrivateIpAddress: largestInstanceIp(index, 10),
    PrivateIpAddresses: Array.from({ length: IPS_PER_ENI }, (_, ip) => ({ Primary: ip === 0, PrivateIpAddress: largestInstanceIp(index, 10 + ip) })),
    SourceDestCheck: true,
    SubnetId: `subnet-0a00000000000${hex2(index)}0`,
    VpcId: 'vpc-0a000000000000001',
  }));
  const Subnets = macs.map((_, index) => ({ SubnetId: `subnet-0a00000000000${hex2(index)}0`, CidrBlock: `10.${index + 1}.0.0/20`, VpcId: 'vpc-0a000000000000001' }));
  return { describeNetworkInterfaces: { NetworkInterfaces }, describeSubnets: { Subnets } };
}

/** What DHCP leaves on a fresh largest instance: each ENI's primary IPv4 (and its connected route), the default via eth1. */
export function configureLargestInstanceDhcp(host: NamespaceHost): void {
  const lines = host.macs.map((_, index) => `address add ${largestInstanceIp(index, 10)}/20 dev eth${index + 1}`);
  host.run(['ip', '-batch', '-'], `${[...lines, `route add default via ${largestInstanceIp(0, 1)} dev eth1`].join('\n')}\n`);
}
