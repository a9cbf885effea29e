import { OWN_PROTOCOL } from '../defaults';
import type { ObservedAddress, ObservedRoute, ObservedRule } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';

/** A rule is eni-pbr's when it sits in the configured band and carries eni-pbr's protocol (or none at all). */
export function isOwnedRule(rule: ObservedRule, options: PlanOptions): boolean {
  const inBand = rule.priority >= options.priorityRange.min && rule.priority <= options.priorityRange.max;
  return inBand && (rule.protocol === undefined || rule.protocol === String(OWN_PROTOCOL));
}

/** A route is eni-pbr's when its table is in the configured range. */
export function isOwnedRoute(route: ObservedRoute, options: PlanOptions): boolean {
  const table = Number(route.table);
  return Number.isInteger(table) && table >= options.tableRange.min && table <= options.tableRange.max;
}

/** Addresses cannot carry a protocol on iproute2 6.1, so the label `<ifname>:ep` says eni-pbr added them. */
export function ownLabelOf(ifname: string): string | undefined {
  const label = `${ifname}:ep`;
  return label.length <= 15 ? label : undefined;
}

export function isOwnedAddress(address: ObservedAddress): boolean {
  return address.label !== undefined && address.label === ownLabelOf(address.ifname);
}
