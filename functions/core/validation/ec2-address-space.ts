import { type Cidr, cidrContains, parseCidr } from './cidr';
import { intToIpv4, ipv4ToInt, ipv6ToGroups } from './ip-address';

/**
 * What addresses EC2 can give an ENI (issue 14): both the facts parser and the plan-line parser refuse
 * anything else, so a plan that passes every syntax check still cannot take the host's routing over.
 *
 * IPv4: a VPC takes RFC 1918 or publicly routable blocks of /16–/28 (Amazon VPC User Guide, "VPC CIDR
 * blocks"); the special-purpose ranges below can never be a VPC's (IANA registry, RFC 6890): this
 * network, loopback, link-local (where IMDS 169.254.169.254, the DNS resolver .253 and NTP .123
 * answer), multicast and the reserved class E with the limited broadcast. 100.64.0.0/10 and
 * 198.18.0.0/15 stay allowed: EKS custom networking and VPC secondary CIDRs use them.
 * In every subnet EC2 keeps the first four addresses (network, VPC router, DNS, future use) and the
 * last (broadcast) for itself: no ENI can hold them.
 * IPv6: EC2 assigns global unicast (2000::/3) or, from IPAM, unique-local (fc00::/7) addresses; the
 * router is reached at a link-local address (fe80::/10), learned from router advertisements.
 */
export const VPC_SUBNET_PREFIX = { min: 16, max: 28 } as const;
export const DELEGATED_PREFIX_LENGTH = 28; // EC2 IPv4 prefix delegation hands out /28s only

const IPV4_NEVER_IN_A_VPC: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', 'this network'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local: IMDS, DNS and NTP answer there'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (and broadcast)'],
];
const IPV4_SPECIAL = IPV4_NEVER_IN_A_VPC.map(([text, name]) => ({ cidr: parseCidr(text) as Cidr, name, text }));
const IPV6_EC2_UNICAST = ['2000::/3', 'fc00::/7'].map((text) => parseCidr(text) as Cidr);
const IPV6_LINK_LOCAL = parseCidr('fe80::/10') as Cidr;
const RESERVED_NAMES = ['the network address', 'the VPC router (base + 1)', 'the Amazon DNS server (base + 2)', 'reserved by AWS (base + 3)'];

/** Why an IPv4 address cannot lie in any VPC, or null when it can. */
export function ipv4OutsideVpc(address: string): string | null {
  const special = IPV4_SPECIAL.find(({ cidr }) => cidrContains(cidr, address, 4));
  return special === undefined ? null : `in ${special.text} (${special.name}), which no VPC can hold`;
}

/** Why an IPv4 address inside `subnet` is one EC2 keeps for itself, or null when an ENI can hold it. */
export function reservedInSubnet(address: string, subnet: Cidr): string | null {
  const base = ipv4ToInt(subnet.address) ?? 0;
  const offset = (ipv4ToInt(address) ?? 0) - base;
  const size = 2 ** (32 - subnet.prefixlen);
  const name = offset === size - 1 ? 'the broadcast address' : RESERVED_NAMES[offset];
  return name === undefined ? null : `${name} of ${subnet.address}/${subnet.prefixlen}, which EC2 reserves`;
}

/** Why a CIDR cannot be a VPC subnet (size, range), or null. */
export function notAVpcSubnet(subnet: Cidr): string | null {
  if (subnet.family !== 4) return 'not an IPv4 subnet';
  if (subnet.prefixlen < VPC_SUBNET_PREFIX.min || subnet.prefixlen > VPC_SUBNET_PREFIX.max) {
    return `not a /${VPC_SUBNET_PREFIX.min}–/${VPC_SUBNET_PREFIX.max} subnet`;
  }
  // No subnet (at most a /16) straddles one of the special ranges (each at least a /16): its base decides.
  return ipv4OutsideVpc(subnet.address);
}

/** The VPC router of a subnet: base + 1. A gateway on any other address is not one EC2 can produce. */
export function isVpcRouterOf(address: string, subnet: Cidr): boolean {
  return intToIpv4((ipv4ToInt(subnet.address) ?? 0) + 1) === address;
}

/** Why an IPv6 address cannot be an ENI's, or null (canonical text expected). */
export function ipv6OutsideEc2(address: string): string | null {
  if (ipv6ToGroups(address) === null) return 'not an IPv6 address';
  return IPV6_EC2_UNICAST.some((range) => cidrContains(range, address, 6)) ? null : 'not a global unicast (2000::/3) or unique-local (fc00::/7) address';
}

export function isIpv6LinkLocal(address: string): boolean {
  return cidrContains(IPV6_LINK_LOCAL, address, 6);
}
