import type { Family } from '../model/observed-host';
import { type Cidr, networkOf } from '../validation/cidr';
import { DELEGATED_PREFIX_LENGTH, VPC_SUBNET_PREFIX, ipv4OutsideVpc, ipv6OutsideEc2, isIpv6LinkLocal, notAVpcSubnet, reservedInSubnet } from '../validation/ec2-address-space';
import { ipv4ToInt } from '../validation/ip-address';
import { InvalidValueError } from '../validation/invalid-value-error';

/**
 * What a line that adds may mean (issue 14): only what EC2 facts can produce. Syntax alone let
 * `rule add … from 0.0.0.0/0`, `addr add <mac> 169.254.169.254/32` or `default via 0.0.0.0` through,
 * each a takeover of the host's routing. Deletions are not bounded here: they only ever match what
 * carries eni-pbr's protocol 224 or address label, so they cannot reach anyone else's configuration.
 * docs/agent-protocol.md "Meaning" lists the same bounds; the agent checks them too.
 */

/** `addr add`: an ENI's IPv4 with its subnet's prefix length, never an address EC2 keeps. */
export function boundAddress(cidr: Cidr, token: string): void {
  subnetSized('address', cidr, token);
  const outside = ipv4OutsideVpc(cidr.address);
  if (outside !== null) throw new InvalidValueError('address', outside, token);
  const reserved = reservedInSubnet(cidr.address, networkOf(cidr));
  if (reserved !== null) throw new InvalidValueError('address', reserved, token);
}

/** `route replace … <cidr>`: an IPv4 VPC subnet, or an IPv6 subnet (EC2's are /64). */
export function boundRouteDestination(family: Family, cidr: Cidr, token: string): void {
  if (family === 6) {
    if (cidr.prefixlen !== 64) throw new InvalidValueError('destination', 'not a /64 (the size of every EC2 IPv6 subnet)', token);
    return ipv6Unicast('destination', cidr.address, token);
  }
  const impossible = notAVpcSubnet(cidr);
  if (impossible !== null) throw new InvalidValueError('destination', impossible, token);
}

/** `route replace … default via <gw>`: the VPC router (base + 1 of a /16–/28 subnet) or a link-local IPv6 router. */
export function boundGateway(family: Family, address: string, token: string): void {
  if (family === 6) {
    if (!isIpv6LinkLocal(address)) throw new InvalidValueError('via', 'not a link-local (fe80::/10) router', token);
    return;
  }
  const outside = ipv4OutsideVpc(address);
  if (outside !== null) throw new InvalidValueError('via', outside, token);
  // base + 1 of any /16–/28 network ends in binary 0001: no other address can be a VPC router.
  if ((ipv4ToInt(address) ?? 0) % 2 ** (32 - VPC_SUBNET_PREFIX.max) !== 1) throw new InvalidValueError('via', 'not a VPC router address (subnet base + 1)', token);
}

/**
 * `rule add … from <cidr>`: with `iif lo` a whole subnet; without it one address (/32, /128) or a
 * delegated /28 prefix.
 */
export function boundSource(family: Family, cidr: Cidr, localOnly: boolean, token: string): void {
  if (family === 6) {
    if (localOnly || cidr.prefixlen !== 128) throw new InvalidValueError('from', 'not one IPv6 address (/128)', token);
    return ipv6Unicast('from', cidr.address, token);
  }
  if (localOnly) return subnetSized('from', cidr, token, notAVpcSubnet(cidr));
  if (cidr.prefixlen !== 32 && cidr.prefixlen !== DELEGATED_PREFIX_LENGTH) {
    throw new InvalidValueError('from', `not one address (/32) or a delegated /${DELEGATED_PREFIX_LENGTH}`, token);
  }
  const outside = ipv4OutsideVpc(cidr.address);
  if (outside !== null) throw new InvalidValueError('from', outside, token);
}

function subnetSized(field: string, cidr: Cidr, token: string, reason: string | null = null): void {
  if (cidr.prefixlen < VPC_SUBNET_PREFIX.min || cidr.prefixlen > VPC_SUBNET_PREFIX.max) {
    throw new InvalidValueError(field, `prefix not /${VPC_SUBNET_PREFIX.min}–/${VPC_SUBNET_PREFIX.max} (a VPC subnet's)`, token);
  }
  if (reason !== null) throw new InvalidValueError(field, reason, token);
}

function ipv6Unicast(field: string, address: string, token: string): void {
  const outside = ipv6OutsideEc2(address);
  if (outside !== null) throw new InvalidValueError(field, outside, token);
}

