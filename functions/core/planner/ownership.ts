import { IFNAME_MAX_CHARS, OWN_LABEL_SUFFIX, OWN_PROTOCOL } from '../defaults';
import type { ObservedAddress, ObservedRoute, ObservedRule } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';

/**
 * A rule is eni-pbr's when it sits in the configured band and carries eni-pbr's protocol. Not "or none":
 * the agent deletes with `proto 224` (docs/agent-protocol.md), and the kernel then matches no rule
 * without that protocol (checked on 6.1: `ip rule del … proto 224` of a proto-less rule fails with
 * ENOENT), so such a rule could only be planned for removal again and again.
 */
export function isOwnedRule(rule: ObservedRule, options: PlanOptions): boolean {
  return isInBand(rule, options) && rule.protocol === String(OWN_PROTOCOL);
}

export function isInBand(rule: ObservedRule, options: PlanOptions): boolean {
  return rule.priority >= options.priorityRange.min && rule.priority <= options.priorityRange.max;
}

/** A route is eni-pbr's when its table is in the configured range and it carries eni-pbr's protocol (as rules). */
export function isOwnedRoute(route: ObservedRoute, options: PlanOptions): boolean {
  return isInOwnTable(route, options) && route.protocol === String(OWN_PROTOCOL);
}

export function isInOwnTable(route: ObservedRoute, options: PlanOptions): boolean {
  const table = Number(route.table);
  return Number.isInteger(table) && table >= options.tableRange.min && table <= options.tableRange.max;
}

/** Addresses cannot carry a protocol on iproute2 6.1, so the label `<ifname>:ep` says eni-pbr added them. */
export function ownLabelOf(ifname: string): string | undefined {
  const label = `${ifname}${OWN_LABEL_SUFFIX}`;
  return label.length <= IFNAME_MAX_CHARS ? label : undefined;
}

export function isOwnedAddress(address: ObservedAddress): boolean {
  return address.label !== undefined && address.label === ownLabelOf(address.ifname);
}
