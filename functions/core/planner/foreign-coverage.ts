import type { ManagerName } from '../model/finding';
import type { ObservedHost, ObservedRoute, ObservedRule } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { type Cidr, cidrContains, parseCidr } from '../validation/cidr';
import { inferManager } from './infer-manager';
import { groupByKey } from './group-by-key';
import { isOwnedRule } from './ownership';

export type Coverage =
  | { readonly status: 'satisfied'; readonly manager: ManagerName; readonly rule: ObservedRule }
  | { readonly status: 'conflict'; readonly manager: ManagerName; readonly rule: ObservedRule; readonly detail: string };

/**
 * Foreign rules that catch what the host sends from some source (src null: from all), in priority
 * order, and the distinct default routes of every table. Only the first of rules with the same family
 * and source can ever decide (the later ones are never reached), and a table's identical defaults say
 * no more than one: both are kept once, so a hostile host's 50,000 copies cost one (issue 14).
 */
export interface ForeignIndex {
  readonly rules: readonly { readonly rule: ObservedRule; readonly src: Cidr | null }[];
  readonly defaults: ReadonlyMap<string, readonly ObservedRoute[]>;
}

export function indexForeign(observed: ObservedHost, options: PlanOptions): ForeignIndex {
  const sorted = observed.rules
    .filter((rule) => !isOwnedRule(rule, options) && catchesHostTraffic(rule))
    .sort((a, b) => a.priority - b.priority);
  const rules = [...groupByKey(sorted, (rule) => `${rule.family} ${rule.src ?? 'all'}`).values()]
    .map(([rule]) => rule as ObservedRule)
    .map((rule) => ({ rule, src: rule.src === undefined ? null : parseCidr(rule.src) }));
  const unique = groupByKey(observed.routes, (route) =>
    route.dst === 'default' && route.type === 'unicast' ? `${route.family} ${route.table} ${route.dev ?? '-'} ${route.gateway ?? '-'}` : null,
  );
  const defaults = groupByKey([...unique.values()].map(([route]) => route as ObservedRoute), (route) => `${route.family} ${route.table}`);
  return { rules, defaults };
}

/**
 * A rule that decides for everything the host sends from its source, whatever the destination. Rules
 * with more selectors (fwmark, to, uidrange…) or suppress_prefixlength only take part of that traffic;
 * the local table only holds local and broadcast destinations.
 */
function catchesHostTraffic(rule: ObservedRule): boolean {
  return (
    !rule.other &&
    rule.fwmark === undefined &&
    rule.suppressPrefixlength === undefined &&
    (rule.iif === undefined || rule.iif === 'lo') &&
    rule.table !== 'local'
  );
}

/**
 * A foreign rule ahead of `priority` that catches `address` sent by the host and sends it to main (or
 * default/local): eni-pbr's own rule behind it then never decides. It is reported, not removed.
 */
export function shadowingRule(index: ForeignIndex, target: { readonly family: 4 | 6; readonly address: string; readonly prefixlen: number }, priority: number): ObservedRule | null {
  const hit = index.rules.find(
    ({ rule, src }) =>
      rule.family === target.family && rule.priority < priority &&
      (src === null || (src.prefixlen <= target.prefixlen && cidrContains(src, target.address, target.family))),
  );
  return hit !== undefined && !isJudgeableTable(hit.rule.table) ? hit.rule : null;
}

/** A table only eni-pbr can judge by its default route: main and default are everybody's. */
const isJudgeableTable = (table: string): boolean => /^\d+$/.test(table) && !['253', '254', '255'].includes(table);

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
  // The first rule that catches the source decides: an earlier `from all lookup main` (or a rule to
  // main for that source) leaves a later cloud-init rule without effect, so it satisfies nothing.
  const hit = index.rules.find(
    ({ rule, src }) =>
      rule.family === target.family && (src === null || (src.prefixlen <= target.prefixlen && cidrContains(src, target.address, target.family))),
  );
  if (hit === undefined || !isJudgeableTable(hit.rule.table)) return null;
  const manager = inferManager(hit.rule.table, observed.managers, hit.rule.protocol);
  const defaults = index.defaults.get(`${target.family} ${hit.rule.table}`) ?? [];
  if (defaults.some((route) => route.dev === target.ifname && (target.gateway === undefined || route.gateway === target.gateway))) {
    return { status: 'satisfied', manager, rule: hit.rule };
  }
  const found = defaults.map((route) => `via ${route.gateway ?? '-'} dev ${route.dev ?? '-'}`).join(', ') || 'no default route';
  return { status: 'conflict', manager, rule: hit.rule, detail: `table ${hit.rule.table} has ${found}` };
}
