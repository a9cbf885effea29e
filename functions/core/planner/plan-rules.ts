import type { DesiredState } from '../model/desired-state';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import { OWN_PROTOCOL } from '../defaults';
import { isInBand, isOwnedRule } from './ownership';
import { describeObservedRule, fromSelectorKey, fwmarkSelectorKey, iifSelectorKey, ruleKey, suppressSelectorKey } from './rule-keys';

type RuleAdd = Extract<PlanOperation, { kind: 'rule-add' }>;
type RuleDel = Extract<PlanOperation, { kind: 'rule-del' }>;

/** Rules to add (suppress_ifgroup and iif→main, then fwmark, then from: fact b) and eni-pbr's own rules no longer wanted. */
export function planRules(desired: DesiredState, observed: ObservedHost, options: PlanOptions): { adds: RuleAdd[]; dels: RuleDel[]; findings: Finding[] } {
  const { suppression } = desired;
  const suppress: [string, RuleAdd][] = suppression === undefined || suppression === null ? [] : suppression.families.map((family) => [
    ruleKey(family, suppression.priority, suppressSelectorKey(suppression.group), 'main'),
    { kind: 'rule-add', family, priority: suppression.priority, selector: { suppressIfgroup: suppression.group }, table: 'main' },
  ]);
  const iif: [string, RuleAdd][] = [];
  const fwmark: [string, RuleAdd][] = [];
  const from: [string, RuleAdd][] = [];
  const mask = desired.connmark?.mask ?? options.markMask;
  for (const eni of desired.enis) {
    if (eni.mark !== undefined && eni.iifPriority !== undefined && eni.fwmarkPriority !== undefined) {
      iif.push([ruleKey(4, eni.iifPriority, iifSelectorKey(eni.ifname), 'main'), { kind: 'rule-add', family: 4, priority: eni.iifPriority, selector: { iifMac: eni.mac }, table: 'main' }]);
      fwmark.push([
        ruleKey(4, eni.fwmarkPriority, fwmarkSelectorKey(eni.mark, mask), eni.table),
        { kind: 'rule-add', family: 4, priority: eni.fwmarkPriority, selector: { fwmark: eni.mark, mask }, table: eni.table },
      ]);
    }
    for (const rule of eni.fromRules) {
      const localOnly = rule.localOnly === true;
      from.push([
        ruleKey(rule.family, rule.priority, fromSelectorKey(rule.from, localOnly), eni.table),
        { kind: 'rule-add', family: rule.family, priority: rule.priority, selector: { from: rule.from, ...(localOnly ? { localOnly } : {}) }, table: eni.table },
      ]);
    }
  }
  const wanted = new Map([...suppress, ...iif, ...fwmark, ...from]);
  const present = new Set<string>();
  const dels: RuleDel[] = [];
  const findings: Finding[] = [];
  const kept = new Set(desired.kept?.priorities ?? []);
  for (const rule of observed.rules) {
    const described = describeObservedRule(rule);
    if (described !== null) present.add(described.key);
    if (kept.has(rule.priority)) continue;
    if (!isOwnedRule(rule, options)) {
      if (isInBand(rule, options) && (described === null || !wanted.has(described.key))) {
        const detail = `in eni-pbr’s band without protocol ${OWN_PROTOCOL} (protocol ${rule.protocol ?? 'unspec'}): not eni-pbr’s, left alone`;
        findings.push({ kind: 'warning', subject: `rule pref ${rule.priority}`, detail });
      }
      continue;
    }
    if (described === null) {
      findings.push({ kind: 'warning', subject: `rule pref ${rule.priority}`, detail: 'in eni-pbr’s band but of a shape eni-pbr never writes; left alone' });
    } else if (!wanted.has(described.key) && !(desired.markingFrozen && (described.kind === 'fwmark' || described.kind === 'iif'))) {
      dels.push({ kind: 'rule-del', family: rule.family, priority: rule.priority, selector: described.selector, table: described.table });
    }
  }
  const adds = [...wanted].filter(([key]) => !present.has(key)).map(([, op]) => op);
  return { adds, dels, findings };
}
