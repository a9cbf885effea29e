import { OWN_PROTOCOL } from '../../../functions/core/defaults';
import type { ObservedHost, ObservedRoute, ObservedRule } from '../../../functions/core/model/observed-host';
import type { PlanOperation } from '../../../functions/core/model/plan-operation';
import { parseCidr } from '../../../functions/core/validation/cidr';

/**
 * Applies plan operations to an observed host the way the agent applies them to the kernel
 * (docs/agent-protocol.md): MACs resolve to the one non-bridge link carrying them, routes and rules get
 * protocol 224, added addresses the `<ifname>:ep` label, connmark replaces the whole own table.
 * It throws where the kernel or the agent would refuse (a duplicate rule, deleting what is absent, or
 * deleting a rule or route without protocol 224: the agent deletes with `proto 224`).
 */
export function applyPlan(host: ObservedHost, operations: readonly PlanOperation[]): ObservedHost {
  let state: ObservedHost = host;
  for (const op of operations) state = applyOne(state, op);
  return state;
}

const own = String(OWN_PROTOCOL);

function ifnameOf(host: ObservedHost, mac: string): string {
  const links = host.links.filter((link) => link.mac === mac && !link.isBridge);
  if (links.length !== 1 || links[0] === undefined) throw new Error(`agent would refuse: ${links.length} links carry ${mac}`);
  return links[0].ifname;
}

function sameRule(a: ObservedRule, b: ObservedRule): boolean {
  return (
    a.family === b.family && a.priority === b.priority && a.src === b.src && a.iif === b.iif && a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask && a.table === b.table && a.suppressIfgroup === b.suppressIfgroup
  );
}

function applyOne(host: ObservedHost, op: PlanOperation): ObservedHost {
  switch (op.kind) {
    case 'addr-add': {
      const ifname = ifnameOf(host, op.mac);
      const cidr = parseCidr(op.cidr);
      if (cidr === null) throw new Error(`bad address ${op.cidr}`);
      if (host.addresses.some((address) => address.ifname === ifname && address.local === cidr.address)) throw new Error(`RTNETLINK: File exists (${op.cidr})`);
      const label = `${ifname}:ep`;
      const address = { ifname, family: 4 as const, local: cidr.address, prefixlen: cidr.prefixlen, ...(label.length <= 15 ? { label } : {}) };
      return { ...host, addresses: [...host.addresses, address] };
    }
    case 'addr-del': {
      const ifname = ifnameOf(host, op.mac);
      const [local, length] = op.cidr.split('/');
      const kept = host.addresses.filter((address) => !(address.ifname === ifname && address.local === local && String(address.prefixlen) === length));
      if (kept.length === host.addresses.length) throw new Error(`RTNETLINK: Cannot assign requested address (${op.cidr})`);
      return { ...host, addresses: kept };
    }
    case 'link-group': {
      const ifname = ifnameOf(host, op.mac);
      return { ...host, links: host.links.map((link) => (link.ifname === ifname ? { ...link, group: op.group } : link)) };
    }
    case 'route-replace': {
      const dev = ifnameOf(host, op.mac);
      const table = String(op.table);
      const route: ObservedRoute = {
        family: op.family, table, dst: op.dst, dev, protocol: own, type: 'unicast',
        ...(op.via === undefined ? { scope: 'link' } : { gateway: op.via }),
      };
      const others = host.routes.filter((seen) => !(seen.family === op.family && seen.table === table && seen.dst === op.dst));
      return { ...host, routes: [...others, route] };
    }
    case 'route-del': {
      const table = String(op.table);
      // The agent deletes with `proto 224`: the kernel matches no route of another protocol.
      const index = host.routes.findIndex((seen) => seen.family === op.family && seen.table === table && seen.dst === op.dst && seen.protocol === own);
      if (index === -1) throw new Error(`RTNETLINK: No such process (route ${op.dst} table ${table})`);
      return { ...host, routes: host.routes.filter((_, position) => position !== index) };
    }
    case 'rule-add': {
      const selector = op.selector;
      const rule: ObservedRule = {
        family: op.family, priority: op.priority, table: String(op.table), protocol: own, other: false,
        ...('from' in selector ? { src: selector.from, ...(selector.localOnly ? { iif: 'lo' } : {}) } : {}),
        ...('fwmark' in selector ? { fwmark: selector.fwmark, ...(selector.mask === 0xffffffff ? {} : { fwmask: selector.mask }) } : {}),
        ...('iifMac' in selector ? { iif: ifnameOf(host, selector.iifMac) } : {}),
        ...('suppressIfgroup' in selector ? { suppressIfgroup: selector.suppressIfgroup } : {}),
      };
      if (host.rules.some((seen) => sameRule(seen, rule))) throw new Error(`RTNETLINK: File exists (rule ${op.priority})`);
      const rules = [...host.rules, rule].sort((a, b) => a.priority - b.priority);
      return { ...host, rules };
    }
    case 'rule-del': {
      const selector = op.selector;
      const table = String(op.table);
      const index = host.rules.findIndex(
        (seen) =>
          seen.family === op.family && seen.priority === op.priority && seen.table === table && seen.protocol === own &&
          ('from' in selector ? seen.src === selector.from && (seen.iif === 'lo') === (selector.localOnly === true) : true) &&
          ('fwmark' in selector ? seen.fwmark === selector.fwmark && (seen.fwmask ?? 0xffffffff) === selector.mask : true) &&
          ('iifName' in selector ? seen.iif === selector.iifName : true) &&
          ('suppressIfgroup' in selector ? seen.suppressIfgroup === selector.suppressIfgroup : seen.suppressIfgroup === undefined),
      );
      if (index === -1) throw new Error(`RTNETLINK: No such file or directory (rule ${op.priority})`);
      return { ...host, rules: host.rules.filter((_, position) => position !== index) };
    }
    case 'sysctl-set':
      return { ...host, sysctls: { ...host.sysctls, srcValidMark: op.value === 1 } };
    case 'connmark-replace': {
      const marks = op.marks.map((entry) => ({ mac: entry.mac, ifname: ifnameOf(host, entry.mac), mark: entry.mark }));
      const ownConnmark = marks.length === 0 ? null : { mask: op.mask, marks, intact: true };
      return { ...host, firewall: { ...host.firewall, ownConnmark } };
    }
  }
}
