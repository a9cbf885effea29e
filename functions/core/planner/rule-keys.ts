import type { ObservedRule } from '../model/observed-host';
import type { RuleDelSelector } from '../model/plan-operation';
import { isUsableIfname } from '../validation/kernel-names';

const FULL_MASK = 0xffffffff;

/** A rule as eni-pbr compares it: family, priority, selector and table, all in one string. */
export function ruleKey(family: number, priority: number, selector: string, table: string | number): string {
  return `${family}|${priority}|${selector}|${table}`;
}

export const fromSelectorKey = (from: string, localOnly: boolean): string => `from ${from}${localOnly ? ' iif lo' : ''}`;
export const fwmarkSelectorKey = (mark: number, mask: number): string => `fwmark ${mark}/${mask}`;
export const iifSelectorKey = (ifname: string): string => `iif ${ifname}`;
export const suppressSelectorKey = (group: number): string => `suppress-ifgroup ${group}`;

/** The key and the deletion selector of an observed rule, or null when it has a shape eni-pbr never writes. */
export function describeObservedRule(rule: ObservedRule): { key: string; selector: RuleDelSelector; table: number | 'main'; kind: 'from' | 'fwmark' | 'iif' | 'suppress' } | null {
  if (rule.other || rule.suppressPrefixlength !== undefined) return null;
  const table = rule.table === 'main' ? 'main' : /^\d+$/.test(rule.table) ? Number(rule.table) : null;
  if (table === null) return null;
  if (rule.suppressIfgroup !== undefined) {
    if (rule.src !== undefined || rule.iif !== undefined || rule.fwmark !== undefined || table !== 'main') return null;
    const key = ruleKey(rule.family, rule.priority, suppressSelectorKey(rule.suppressIfgroup), table);
    return { key, selector: { suppressIfgroup: rule.suppressIfgroup }, table, kind: 'suppress' };
  }
  if (rule.fwmark !== undefined && rule.src === undefined && rule.iif === undefined && table !== 'main') {
    const mask = rule.fwmask ?? FULL_MASK;
    return { key: ruleKey(rule.family, rule.priority, fwmarkSelectorKey(rule.fwmark, mask), table), selector: { fwmark: rule.fwmark, mask }, table, kind: 'fwmark' };
  }
  if (rule.fwmark !== undefined) return null;
  // An iif rule is deleted by name: one the agent could not name (`tun@x`) is not eni-pbr's shape.
  if (rule.src === undefined && rule.iif !== undefined && rule.iif !== 'lo' && table === 'main' && isUsableIfname(rule.iif)) {
    const selector = rule.iifDetached ? `${iifSelectorKey(rule.iif)} detached` : iifSelectorKey(rule.iif);
    return { key: ruleKey(rule.family, rule.priority, selector, table), selector: { iifName: rule.iif }, table, kind: 'iif' };
  }
  if (rule.src !== undefined && (rule.iif === undefined || rule.iif === 'lo') && table !== 'main') {
    const localOnly = rule.iif === 'lo';
    return { key: ruleKey(rule.family, rule.priority, fromSelectorKey(rule.src, localOnly), table), selector: { from: rule.src, ...(localOnly ? { localOnly } : {}) }, table, kind: 'from' };
  }
  return null;
}
