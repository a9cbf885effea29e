import type { DesiredState } from '../model/desired-state';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import { groupByKey } from './group-by-key';
import { isOwnedAddress } from './ownership';

type AddrOp = Extract<PlanOperation, { kind: 'addr-add' | 'addr-del' }>;

/** Secondary IPv4s missing from their interface are added; eni-pbr's labelled ones no longer assigned are removed. */
export function planAddresses(desired: DesiredState, observed: ObservedHost, options: PlanOptions): { adds: AddrOp[]; dels: AddrOp[] } {
  const adds: AddrOp[] = [];
  const dels: AddrOp[] = [];
  const byLink = groupByKey(observed.addresses, (address) => (address.family === 4 ? address.ifname : null));
  for (const eni of desired.enis) {
    const onLink = byLink.get(eni.ifname) ?? [];
    const present = new Set(onLink.map((address) => address.local));
    const wanted = new Set(eni.addresses.map((cidr) => cidr.slice(0, cidr.indexOf('/'))));
    if (options.addMissingAddresses) {
      for (const cidr of eni.addresses) {
        if (!present.has(cidr.slice(0, cidr.indexOf('/')))) adds.push({ kind: 'addr-add', mac: eni.mac, cidr });
      }
    }
    for (const address of onLink) {
      if (isOwnedAddress(address) && !wanted.has(address.local)) dels.push({ kind: 'addr-del', mac: eni.mac, cidr: `${address.local}/${address.prefixlen}` });
    }
  }
  return { adds, dels };
}
