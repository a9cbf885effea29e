import type { Family } from '../model/observed-host';
import { canonicalIpv6, groupsToIpv6, intToIpv4, ipv4ToInt, ipv6ToGroups } from './ip-address';

export interface Cidr {
  readonly family: Family;
  readonly address: string; // canonical text
  readonly prefixlen: number;
}

/** Parses `a.b.c.d/len` or `x::y/len` (a bare address when allowBare: /32 or /128). */
export function parseCidr(text: string, allowBare = false): Cidr | null {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const lengthText = slash === -1 ? null : text.slice(slash + 1);
  if (lengthText === null && !allowBare) return null;
  if (lengthText !== null && !/^(?:0|[1-9]\d{0,2})$/.test(lengthText)) return null;
  if (ipv4ToInt(addressText) !== null) {
    const prefixlen = lengthText === null ? 32 : Number(lengthText);
    return prefixlen <= 32 ? { family: 4, address: addressText, prefixlen } : null;
  }
  const v6 = canonicalIpv6(addressText);
  if (v6 === null) return null;
  const prefixlen = lengthText === null ? 128 : Number(lengthText);
  return prefixlen <= 128 ? { family: 6, address: v6, prefixlen } : null;
}

export function formatCidr(cidr: Cidr): string {
  return `${cidr.address}/${cidr.prefixlen}`;
}

/** The network of a CIDR (host bits cleared), e.g. 10.0.3.158/24 → 10.0.3.0/24. */
export function networkOf(cidr: Cidr): Cidr {
  if (cidr.family === 4) {
    const value = ipv4ToInt(cidr.address) ?? 0;
    const size = 2 ** (32 - cidr.prefixlen);
    return { ...cidr, address: intToIpv4(value - (value % size)) };
  }
  const groups = ipv6ToGroups(cidr.address) ?? [];
  const masked = groups.map((group, index) => {
    const keep = Math.min(16, Math.max(0, cidr.prefixlen - index * 16));
    return keep === 16 ? group : keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
  return { ...cidr, address: groupsToIpv6(masked) };
}

export function hasZeroHostBits(cidr: Cidr): boolean {
  return networkOf(cidr).address === cidr.address;
}

/** Whether `address` (canonical text of the same family) lies inside `cidr`. */
export function cidrContains(cidr: Cidr, address: string, family: Family): boolean {
  if (family !== cidr.family) return false;
  return networkOf({ family, address, prefixlen: cidr.prefixlen }).address === networkOf(cidr).address;
}

/** The first host of an IPv4 network: where the VPC router answers (subnet base + 1). */
export function ipv4BasePlusOne(cidr: Cidr): string {
  return intToIpv4((ipv4ToInt(networkOf(cidr).address) ?? 0) + 1);
}
