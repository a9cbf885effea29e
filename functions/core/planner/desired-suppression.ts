import { OWN_LINK_GROUP } from '../defaults';
import type { DesiredEni, DesiredSuppression } from '../model/desired-state';
import type { InstanceFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { Family, ObservedHost } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { FWMARK_BAND } from './eni-numbering';
import { isOwnedRule } from './ownership';
import { resolveInterface } from './resolve-interface';

const MAIN_RULE_PRIORITY = 32766; // `from all lookup main`, the kernel's default rule

/**
 * Whatever main sends out of something other than an ENI — a Docker bridge, a VPN tunnel — must keep
 * going there, even from an ENI's address: `from <subnet> iif lo` (and cloud-init's per-IP rules) would
 * otherwise send the host's replies to its own containers to the VPC router (checked in the lab:
 * `ip route get 172.17.0.2 from 10.0.3.158` left by eth1). One rule does it without going stale when a
 * new bridge appears: `lookup main suppress_ifgroup 224`, with every ENI's link in group 224, so main's
 * answer counts unless it leaves by an ENI. It sits just ahead of the fwmark band, and is wanted only
 * where some `from` rule comes after it: eni-pbr's own, or a foreign one such as cloud-init's at 32765
 * (ec2-net-utils' rules at 10000+ come first, and the rule could not help them).
 */
export function desiredSuppression(
  facts: InstanceFacts, observed: ObservedHost, options: PlanOptions, enis: readonly DesiredEni[],
): { suppression: DesiredSuppression | null; findings: Finding[] } {
  const priority = options.priorityRange.min + FWMARK_BAND - 1;
  if (!enis.some((eni) => eni.fromRules.length > 0) && !hasForeignFromRuleAfter(observed, options, priority)) return { suppression: null, findings: [] };
  const findings: Finding[] = [];
  const links: { mac: string; ifname: string }[] = [];
  for (const eni of facts.enis) {
    const resolved = resolveInterface(eni, observed);
    if ('finding' in resolved) continue; // reported where the ENI itself is planned
    const group = observed.links.find((link) => link.ifname === resolved.ifname)?.group;
    if (group !== 0 && group !== OWN_LINK_GROUP) {
      const detail = `${resolved.ifname} is in interface group ${group ?? '(named)'}, someone else's: left alone, so main's routes through it still win over eni-pbr's tables`;
      findings.push({ kind: 'warning', eniId: eni.eniId, subject: `link ${resolved.ifname}`, detail });
      continue;
    }
    links.push({ mac: eni.macAddress, ifname: resolved.ifname });
  }
  const families: Family[] = [4, ...(enis.some((eni) => eni.fromRules.some((rule) => rule.family === 6)) ? [6 as const] : [])];
  return { suppression: { priority, group: OWN_LINK_GROUP, families, links }, findings };
}

/** A foreign `from <source> lookup <table>` rule after `priority` (and ahead of main's 32766). */
function hasForeignFromRuleAfter(observed: ObservedHost, options: PlanOptions, priority: number): boolean {
  return observed.rules.some(
    (rule) => rule.priority > priority && rule.priority < MAIN_RULE_PRIORITY && rule.src !== undefined && /^\d+$/.test(rule.table) && !rule.other && !isOwnedRule(rule, options),
  );
}
