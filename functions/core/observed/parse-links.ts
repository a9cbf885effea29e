import type { Family, ObservedAddress, ObservedLink } from '../model/observed-host';
import { readKernelIfname, readOpaqueText } from '../validation/kernel-names';
import { validateInteger, validateIpv4, validateIpv6, validateMac, validateString } from '../validation/field-validators';
import { InvalidValueError } from '../validation/invalid-value-error';
import type { IpJsonEntry } from './inspect-schemas';
import { readLinkGroup } from './parse-rules';

const LABEL_PATTERN = /^[A-Za-z0-9_.:-]{1,15}$/; // IFNAMSIZ; `<ifname>:ep` marks eni-pbr's addresses
const MAX_ADDRESSES_PER_LINK = 10_000;

/** `ip -j link show` → links; only Ethernet links have a MAC eni-pbr can match an ENI against. */
export function parseLinks(entries: readonly IpJsonEntry[], bridges: ReadonlySet<string>): ObservedLink[] {
  return entries.map((entry, index) => {
    const at = `links[${index}]`;
    const ifname = readKernelIfname(`${at}.ifname`, entry.ifname);
    const isEther = entry.link_type === 'ether';
    const master = entry.master === undefined ? undefined : readKernelIfname(`${at}.master`, entry.master);
    const group = entry.group === undefined ? 0 : readLinkGroup(`${at}.group`, entry.group);
    return {
      ifindex: validateInteger(`${at}.ifindex`, entry.ifindex, 1, 2 ** 31 - 1),
      ifname,
      mac: isEther && entry.address !== undefined ? validateMac(`${at}.address`, entry.address) : '',
      operstate: validateString(`${at}.operstate`, entry.operstate ?? 'UNKNOWN', 16),
      isBridge: bridges.has(ifname),
      ...(master === undefined ? {} : { master }),
      ...(group === undefined ? {} : { group }),
    };
  });
}

/** `ip -j addr show` → one address per addr_info entry (IPv4 and IPv6 only). */
export function parseAddresses(entries: readonly IpJsonEntry[]): ObservedAddress[] {
  const addresses: ObservedAddress[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = `addr[${index}]`;
    const ifname = readKernelIfname(`${at}.ifname`, entry.ifname);
    const infos = entry.addr_info ?? [];
    if (!Array.isArray(infos) || infos.length > MAX_ADDRESSES_PER_LINK) throw new InvalidValueError(`${at}.addr_info`, 'not a bounded list', infos);
    for (const [position, info] of (infos as unknown[]).entries()) {
      const address = parseAddressInfo(`${at}.addr_info[${position}]`, ifname, info);
      if (address !== null) addresses.push(address);
    }
  }
  return addresses;
}

function parseAddressInfo(at: string, ifname: string, info: unknown): ObservedAddress | null {
  if (typeof info !== 'object' || info === null) throw new InvalidValueError(at, 'not an object', info);
  const record = info as Record<string, unknown>;
  const family: Family | null = record.family === 'inet' ? 4 : record.family === 'inet6' ? 6 : null;
  if (family === null) return null;
  const local = family === 4 ? validateIpv4(`${at}.local`, record.local) : validateIpv6(`${at}.local`, record.local);
  const prefixlen = validateInteger(`${at}.prefixlen`, record.prefixlen, 0, family === 4 ? 32 : 128);
  if (record.label === undefined) return { ifname, family, local, prefixlen };
  // A label of an oddly named link (`wg+vpn`) is only compared with eni-pbr's `<ifname>:ep`: carried as is.
  const label = validateString(`${at}.label`, record.label, 64);
  return { ifname, family, local, prefixlen, label: LABEL_PATTERN.test(label) ? label : readOpaqueText(`${at}.label`, label, 64) };
}
