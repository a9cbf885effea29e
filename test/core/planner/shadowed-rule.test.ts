import type { ObservedRule } from '../../../functions/core/model/observed-host';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

const foreignRule = (priority: number, table: string, src?: string): ObservedRule => ({ family: 4, priority, table, other: false, ...(src === undefined ? {} : { src }) });
const hostWith = (rule: ObservedRule) => {
  const host = loadObserved('bare-two');
  return { ...host, rules: [...host.rules, rule].sort((a, b) => a.priority - b.priority) };
};
const shadowWarnings = (rule: ObservedRule) =>
  planRemediation(loadFacts('bare-two'), hostWith(rule)).findings.filter((finding) => finding.kind === 'warning' && finding.detail.includes('comes first'));

describe('a foreign rule ahead of eni-pbr’s band', () => {
  it('that sends the ENI’s subnet to main is reported: eni-pbr’s rule behind it cannot decide', () => {
    const warnings = shadowWarnings(foreignRule(1000, 'main', '10.0.2.0/24'));
    expect(warnings).toEqual([expect.objectContaining({ subject: 'rule from 10.0.2.20', detail: expect.stringContaining('pref 1000 (lookup main)') })]);
  });

  it('that sends everything to main is reported too, for the primary’s rule as for the ENI’s', () => {
    expect(shadowWarnings(foreignRule(900, 'main')).map((finding) => finding.subject)).toEqual(['rule from 10.0.1.10', 'rule from 10.0.2.20']);
  });

  it('is not reported when it comes after the band, like main’s own 32766', () => {
    expect(shadowWarnings(foreignRule(32000, 'main', '10.0.2.0/24'))).toEqual([]);
  });

  it('is not reported when it covers another source', () => {
    expect(shadowWarnings(foreignRule(1000, 'main', '10.0.9.0/24'))).toEqual([]);
  });

  it('still plans eni-pbr’s own rule, which decides once the foreign rule is gone', () => {
    const plan = planRemediation(loadFacts('bare-two'), hostWith(foreignRule(1000, 'main', '10.0.2.0/24')));
    expect(plan.operations).toContainEqual(expect.objectContaining({ kind: 'rule-add', selector: { from: '10.0.2.0/24', localOnly: true } }));
  });
});
