import type { DesiredState } from '../model/desired-state';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import { groupByKey } from './group-by-key';
import { isOwnedAddress } from './ownership';

type AddrOp = Extract<PlanOperation, { kind: 'addr-add' | 'addr-del' }>;

/**
 * Secondary IPv4s missing from their interface are added; eni-pbr's labelled ones no longer assigned are
 * removed. Not on a VPC CNI node: there the ENIs' secondary IPs are the pods' (the CNI routes each to
 * a pod's veth), and one added to the host's interface would take that pod's traffic.
 */
export function planAddresses(desired: DesiredState, observed: ObservedHost, options: PlanOptions): { adds: AddrOp[]; dels: AddrOp[]; findings: Finding[] } {
  const adds: AddrOp[] = [];
  const dels: AddrOp[] = [];
  const findings: Finding[] = [];
  const byLink = groupByKey(observed.addresses, (address) => (address.family === 4 ? address.ifname : null));
  for (const eni of desired.enis) {
    const onLink = byLink.get(eni.ifname) ?? [];
    const present = new Set(onLink.map((address) => address.local));
    const wanted = new Set(eni.addresses.map((cidr) => cidr.slice(0, cidr.indexOf('/'))));
    const missing = eni.addresses.filter((cidr) => !present.has(cidr.slice(0, cidr.indexOf('/'))));
    if (options.addMissingAddresses && missing.length > 0 && observed.managers.vpcCni) {
      findings.push({
        kind: 'satisfied-by-other',
        eniId: eni.eniId,
        manager: 'vpc-cni',
        subject: `${missing.length} secondary IPv4 address(es) of ${eni.ifname}`,
        detail: 'the VPC CNI gives them to pods: not added to the host',
      });
    } else if (options.addMissingAddresses) {
      for (const cidr of missing) adds.push({ kind: 'addr-add', mac: eni.mac, cidr });
    }
    for (const address of onLink) {
      if (isOwnedAddress(address) && !wanted.has(address.local)) dels.push({ kind: 'addr-del', mac: eni.mac, cidr: `${address.local}/${address.prefixlen}` });
    }
  }
  return { adds, dels, findings };
}
