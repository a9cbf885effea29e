import type { ManagerName } from '../model/finding';
import type { ObservedHost, ObservedRoute, ObservedRule } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { type Cidr, cidrContains, parseCidr } from '../validation/cidr';
import { inferManager } from './infer-manager';
import { isOwnedRule } from './ownership';

export type Coverage =
  | { readonly status: 'satisfied'; readonly manager: ManagerName; readonly rule: ObservedRule }
  | { readonly status: 'conflict'; readonly manager: ManagerName; readonly rule: ObservedRule; readonly detail: string };

/** Foreign `from` rules in priority order, with their parsed source, and the default routes of every table. */
export interface ForeignIndex {
  readonly rules: readonly { readonly rule: ObservedRule; readonly src: Cidr }[];
  readonly defaults: ReadonlyMap<string, readonly ObservedRoute[]>;
}

export function indexForeign(observed: ObservedHost, options: PlanOptions): ForeignIndex {
  const rules = observed.rules
    .filter((rule) => !isOwnedRule(rule, options) && isPlainFromRule(rule))
    .map((rule) => ({ rule, src: parseCidr(rule.src ?? '') as Cidr }))
    .sort((a, b) => a.rule.priority - b.rule.priority);
  const defaults = new Map<string, ObservedRoute[]>();
  for (const route of observed.routes) {
    if (route.dst !== 'default' || route.type !== 'unicast') continue;
    const key = `${route.family} ${route.table}`;
    defaults.set(key, [...(defaults.get(key) ?? []), route]);
  }
  return { rules, defaults };
}

/** A rule that sends one source (what the host itself sends) to a table eni-pbr can judge. */
function isPlainFromRule(rule: ObservedRule): boolean {
  return (
    rule.src !== undefined &&
    !rule.other &&
    rule.fwmark === undefined &&
    rule.suppressPrefixlength === undefined &&
    (rule.iif === undefined || rule.iif === 'lo') &&
    !['local', 'main', 'default'].includes(rule.table)
  );
}

/**
 * How foreign config already routes `address` sent by the host: the first foreign rule that catches it
 * decides. Satisfied when its table's default goes through the ENI's gateway and interface.
 */
export function coverageOf(
  index: ForeignIndex,
  observed: ObservedHost,
  target: { readonly family: 4 | 6; readonly address: string; readonly prefixlen: number; readonly ifname: string; readonly gateway: string | undefined },
): Coverage | null {
  // A foreign rule covers a delegated prefix only when its source holds the whole prefix.
  const hit = index.rules.find(
    ({ rule, src }) => rule.family === target.family && src.prefixlen <= target.prefixlen && cidrContains(src, target.address, target.family),
  );
  if (hit === undefined) return null;
  const manager = inferManager(hit.rule.table, observed.managers);
  const defaults = index.defaults.get(`${target.family} ${hit.rule.table}`) ?? [];
  if (defaults.some((route) => route.dev === target.ifname && (target.gateway === undefined || route.gateway === target.gateway))) {
    return { status: 'satisfied', manager, rule: hit.rule };
  }
  const found = defaults.map((route) => `via ${route.gateway ?? '-'} dev ${route.dev ?? '-'}`).join(', ') || 'no default route';
  return { status: 'conflict', manager, rule: hit.rule, detail: `table ${hit.rule.table} has ${found}` };
}
