import type { z } from 'zod';
import type { EniFacts, ExcludedEni, InstanceFacts } from '../model/eni-facts';
import { type Cidr, cidrContains, formatCidr, ipv4BasePlusOne } from '../validation/cidr';
import { describeSchemaIssues } from '../validation/describe-schema-issues';
import { DELEGATED_PREFIX_LENGTH, ipv6OutsideEc2, notAVpcSubnet, reservedInSubnet } from '../validation/ec2-address-space';
import { intToIpv4, ipv4ToInt } from '../validation/ip-address';
import { validateAwsId, validateCidr, validateInteger, validateIpv4, validateIpv6, validateMac } from '../validation/field-validators';
import { InvalidValueError } from '../validation/invalid-value-error';
import { exclusionOf } from './classify-interface';
import { describeNetworkInterfacesSchema, describeSubnetsSchema, type RawNetworkInterface } from './ec2-schemas';
import { InvalidEc2FactsError } from './invalid-ec2-facts-error';

const MAX_INDEX = 255; // device and network card indexes EC2 uses are far below this

/** DescribeNetworkInterfaces + DescribeSubnets (SDK v3 output) → the validated facts of one instance. */
export function parseInstanceFacts(input: { instanceId: string; describeNetworkInterfaces: unknown; describeSubnets: unknown }): InstanceFacts {
  try {
    const instanceId = validateAwsId('instanceId', input.instanceId, 'i');
    const interfaces = parseShape(describeNetworkInterfacesSchema, input.describeNetworkInterfaces, 'DescribeNetworkInterfaces');
    const subnets = readSubnets(parseShape(describeSubnetsSchema, input.describeSubnets, 'DescribeSubnets').Subnets);
    const enis: EniFacts[] = [];
    const excluded: ExcludedEni[] = [];
    for (const [index, raw] of interfaces.NetworkInterfaces.entries()) {
      if (raw.Attachment?.InstanceId !== instanceId) continue;
      const eniId = validateAwsId(`NetworkInterfaces[${index}].NetworkInterfaceId`, raw.NetworkInterfaceId, 'eni');
      const exclusion = exclusionOf(raw, eniId) ?? ipv6OnlyExclusion(raw, eniId, subnets);
      if (exclusion === null) enis.push(toEniFacts(raw, `NetworkInterfaces[${index}]`, eniId, subnets));
      else excluded.push(exclusion);
    }
    assertUniqueSlots(enis);
    enis.sort((a, b) => a.networkCardIndex - b.networkCardIndex || a.deviceIndex - b.deviceIndex);
    return { instanceId, enis, excluded };
  } catch (error) {
    if (error instanceof InvalidEc2FactsError) throw error;
    if (error instanceof InvalidValueError) throw new InvalidEc2FactsError(`invalid EC2 facts: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseShape<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: z.ZodError } }, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidEc2FactsError(`${what} output has an unexpected shape: ${describeSchemaIssues(result.error)}`, { cause: result.error });
  return result.data;
}

/** Subnet id → IPv4 CIDR, or null for an IPv6-only subnet (Ipv6Native: no CidrBlock at all). */
function readSubnets(raw: readonly { SubnetId: unknown; CidrBlock?: unknown; Ipv6Native?: boolean }[]): Map<string, Cidr | null> {
  const subnets = new Map<string, Cidr | null>();
  for (const [index, subnet] of raw.entries()) {
    const id = validateAwsId(`Subnets[${index}].SubnetId`, subnet.SubnetId, 'subnet');
    const ipv6Only = subnet.Ipv6Native === true && subnet.CidrBlock === undefined;
    if (ipv6Only) {
      subnets.set(id, null);
      continue;
    }
    const cidr = validateCidr(`Subnets[${index}].CidrBlock`, subnet.CidrBlock, 4);
    // A "subnet" no VPC can have (0.0.0.0/0 from a hostile or broken input) would become `from
    // 0.0.0.0/0 iif lo` — every packet the host sends — or put the ENI's table over IMDS (169.254/16).
    const impossible = notAVpcSubnet(cidr);
    if (impossible !== null) throw new InvalidValueError(`Subnets[${index}].CidrBlock`, impossible, subnet.CidrBlock);
    subnets.set(id, cidr);
  }
  return subnets;
}

/** ENIs of IPv6-only subnets have no IPv4 to route by source: eni-pbr leaves them out, and says so. */
function ipv6OnlyExclusion(raw: RawNetworkInterface, eniId: string, subnets: ReadonlyMap<string, Cidr | null>): ExcludedEni | null {
  const subnetId = typeof raw.SubnetId === 'string' ? raw.SubnetId : '';
  if (subnets.get(subnetId) !== null || raw.PrivateIpAddress !== undefined) return null;
  return { eniId, reason: 'ipv6-only', detail: 'IPv6-only subnet: eni-pbr routes ENIs by their IPv4 subnet' };
}

function toEniFacts(raw: RawNetworkInterface, at: string, eniId: string, subnets: ReadonlyMap<string, Cidr | null>): EniFacts {
  const subnetId = validateAwsId(`${at}.SubnetId`, raw.SubnetId, 'subnet');
  const subnet = subnets.get(subnetId);
  if (subnet === undefined) throw new InvalidEc2FactsError(`${at}: subnet ${subnetId} missing from DescribeSubnets`);
  if (subnet === null) throw new InvalidEc2FactsError(`${at}: an IPv4 address in IPv6-only subnet ${subnetId}`);
  const inSubnet = (field: string, value: unknown): string => {
    const address = validateIpv4(field, value);
    if (!cidrContains(subnet, address, 4)) throw new InvalidValueError(field, `outside subnet ${formatCidr(subnet)}`, value);
    // An ENI holding the router's address would route the subnet's gateway to itself.
    const reserved = reservedInSubnet(address, subnet);
    if (reserved !== null) throw new InvalidValueError(field, reserved, value);
    return address;
  };
  const primaryIpv4 = inSubnet(`${at}.PrivateIpAddress`, raw.PrivateIpAddress);
  const secondaryIpv4 = (raw.PrivateIpAddresses ?? [])
    .map((entry, index) => inSubnet(`${at}.PrivateIpAddresses[${index}]`, entry.PrivateIpAddress))
    .filter((address) => address !== primaryIpv4);
  return {
    eniId,
    macAddress: validateMac(`${at}.MacAddress`, raw.MacAddress),
    deviceIndex: validateInteger(`${at}.Attachment.DeviceIndex`, raw.Attachment?.DeviceIndex, 0, MAX_INDEX),
    networkCardIndex: validateInteger(`${at}.Attachment.NetworkCardIndex`, raw.Attachment?.NetworkCardIndex ?? 0, 0, MAX_INDEX),
    interfaceType: raw.InterfaceType ?? 'interface',
    subnetId,
    vpcId: validateAwsId(`${at}.VpcId`, raw.VpcId, 'vpc'),
    subnetCidr: formatCidr(subnet),
    gateway: ipv4BasePlusOne(subnet),
    primaryIpv4,
    secondaryIpv4: [...new Set(secondaryIpv4)],
    ipv4Prefixes: (raw.Ipv4Prefixes ?? []).map((entry, index) => prefixInSubnet(`${at}.Ipv4Prefixes[${index}]`, entry.Ipv4Prefix, subnet)),
    ipv6Addresses: (raw.Ipv6Addresses ?? []).map((entry, index) => ec2Ipv6(`${at}.Ipv6Addresses[${index}]`, entry.Ipv6Address)),
    sourceDestCheck: raw.SourceDestCheck ?? true,
  };
}

/**
 * EC2 delegates /28 prefixes out of the ENI's own subnet, never over the addresses it reserves there;
 * one outside it (0.0.0.0/0) would route every forwarded source.
 */
function prefixInSubnet(field: string, value: unknown, subnet: Cidr): string {
  const prefix = validateCidr(field, value, 4);
  if (prefix.prefixlen < subnet.prefixlen || !cidrContains(subnet, prefix.address, 4)) throw new InvalidValueError(field, `outside subnet ${formatCidr(subnet)}`, value);
  if (prefix.prefixlen !== DELEGATED_PREFIX_LENGTH) throw new InvalidValueError(field, `not a /${DELEGATED_PREFIX_LENGTH} (the only size EC2 delegates)`, value);
  const last = intToIpv4((ipv4ToInt(prefix.address) ?? 0) + 2 ** (32 - prefix.prefixlen) - 1);
  const reserved = reservedInSubnet(prefix.address, subnet) ?? reservedInSubnet(last, subnet);
  if (reserved !== null) throw new InvalidValueError(field, `holds ${reserved}`, value);
  return formatCidr(prefix);
}

function ec2Ipv6(field: string, value: unknown): string {
  const address = validateIpv6(field, value);
  const outside = ipv6OutsideEc2(address);
  if (outside !== null) throw new InvalidValueError(field, outside, value);
  return address;
}

/** One slot and one MAC per ENI: the agent resolves a MAC to one link, and a shared one cannot be named. */
function assertUniqueSlots(enis: readonly EniFacts[]): void {
  const slots = new Set<string>();
  const macs = new Map<string, string>();
  for (const eni of enis) {
    const slot = `${eni.networkCardIndex}/${eni.deviceIndex}`;
    if (slots.has(slot)) throw new InvalidEc2FactsError(`two attached ENIs claim network card/device ${slot}`);
    slots.add(slot);
    const other = macs.get(eni.macAddress);
    if (other !== undefined) throw new InvalidEc2FactsError(`${other} and ${eni.eniId} both report MAC ${eni.macAddress}`);
    macs.set(eni.macAddress, eni.eniId);
  }
}
