import type { DesiredEni } from '../model/desired-state';
import type { EniFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { Family, ObservedHost } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { parseCidr } from '../validation/cidr';
import { type ForeignIndex, coverageOf, shadowingRule } from './foreign-coverage';

type FromRule = DesiredEni['fromRules'][number];

export interface FromRuleContext {
  readonly eni: EniFacts;
  readonly ifname: string;
  readonly fromPriority: number;
  readonly aloneInSubnet: boolean;
  readonly router6: string | undefined; // the IPv6 router the kernel learned on the interface
  readonly observed: ObservedHost;
  readonly foreign: ForeignIndex;
  readonly options: PlanOptions;
}

/**
 * The `from` rules one ENI needs (fact e: as few as are correct). Sources foreign config already routes
 * right are left to it; sources it routes wrong are a conflict, overridden only on request and only
 * when eni-pbr's band comes first.
 */
export function desiredFromRules(context: FromRuleContext): { rules: FromRule[]; findings: Finding[] } {
  const { eni, fromPriority } = context;
  const findings: Finding[] = [];
  let conflicts = 0;
  const needs = (family: Family, source: string, gateway: string | undefined): boolean => {
    const cidr = parseCidr(source, true);
    if (cidr === null) return false;
    const coverage = coverageOf(context.foreign, context.observed, { family, address: cidr.address, prefixlen: cidr.prefixlen, ifname: context.ifname, gateway });
    if (coverage === null) {
      const shadow = shadowingRule(context.foreign, { family, address: cidr.address, prefixlen: cidr.prefixlen }, fromPriority);
      if (shadow !== null) {
        const detail = `foreign rule pref ${shadow.priority} (lookup ${shadow.table}) comes first and decides for ${source}: eni-pbr's rule behind it has no effect until that rule goes`;
        findings.push({ kind: 'warning', eniId: eni.eniId, subject: `rule from ${source}`, detail });
      }
      return true;
    }
    const subject = `rule from ${source}`;
    if (coverage.status === 'satisfied') {
      findings.push({ kind: 'satisfied-by-other', eniId: eni.eniId, subject, detail: `pref ${coverage.rule.priority} lookup ${coverage.rule.table}`, manager: coverage.manager });
      return false;
    }
    const overridable = context.options.overrideForeign && coverage.rule.priority > fromPriority;
    const action = overridable ? 'overridden by eni-pbr' : context.options.overrideForeign ? 'cannot be overridden: it comes first' : 'left alone (overrideForeign is off)';
    findings.push({ kind: 'conflict', eniId: eni.eniId, subject, detail: `pref ${coverage.rule.priority} lookup ${coverage.rule.table}: ${coverage.detail}; ${action}`, manager: coverage.manager });
    conflicts += overridable ? 0 : 1;
    return overridable;
  };
  const ipv4 = [eni.primaryIpv4, ...eni.secondaryIpv4].filter((address) => needs(4, address, eni.gateway));
  // Prefixes lie in the subnet too: a foreign rule left alone for one must also keep the whole-subnet rule out.
  const prefixes = eni.ipv4Prefixes.filter((prefix) => needs(4, prefix, eni.gateway));
  const rules: FromRule[] = [];
  // One whole-subnet rule when the ENI is alone in its subnet, unless it would override a foreign rule left alone.
  if (ipv4.length > 0 && context.aloneInSubnet && conflicts === 0) {
    rules.push({ family: 4, priority: fromPriority, from: eni.subnetCidr, localOnly: true });
  } else {
    rules.push(...ipv4.map((address) => ({ family: 4 as const, priority: fromPriority, from: `${address}/32` })));
  }
  rules.push(...prefixes.map((prefix) => ({ family: 4 as const, priority: fromPriority, from: prefix })));
  if (eni.ipv6Addresses.length > 0 && context.router6 === undefined) {
    findings.push({ kind: 'warning', eniId: eni.eniId, subject: `IPv6 on ${context.ifname}`, detail: 'no IPv6 router learned on the interface (no default via fe80::… in main): IPv6 left unrouted' });
  } else {
    for (const address of eni.ipv6Addresses) if (needs(6, address, context.router6)) rules.push({ family: 6, priority: fromPriority, from: `${address}/128` });
  }
  return { rules, findings };
}
