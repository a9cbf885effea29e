import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { ObservedHost } from '../../../functions/core/model/observed-host';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

const primaryWarnings = (host: ObservedHost, ec2: string, managePrimary = false) =>
  planRemediation(loadFacts(ec2), host, { ...DEFAULT_PLAN_OPTIONS, managePrimary }).findings.filter(
    (finding) => finding.kind === 'warning' && finding.subject.startsWith('primary '),
  );

describe('the primary ENI’s reachability from secondary subnets', () => {
  it('warns that clients in the secondary subnet cannot reach the primary on the article’s host', () => {
    const warnings = primaryWarnings(loadObserved('ubuntu-docker'), 'ubuntu-docker');
    expect(warnings).toEqual([expect.objectContaining({ eniId: 'eni-0a0000000000000e0', subject: 'primary 10.0.1.40' })]);
    expect(warnings[0]?.detail).toContain('clients in 10.0.3.0/24 cannot reach it');
  });

  it('names every other subnet', () => {
    const [warning] = primaryWarnings(loadObserved('bare-three'), 'bare-three');
    const subnets = loadFacts('bare-three').enis.slice(1).map((eni) => eni.subnetCidr);
    for (const subnet of new Set(subnets)) expect(warning?.detail).toContain(subnet);
  });

  it('is silent when the primary is managed', () => {
    expect(primaryWarnings(loadObserved('ubuntu-docker'), 'ubuntu-docker', true)).toEqual([]);
  });

  it('is silent once eni-pbr routes the primary itself', () => {
    const options = { ...DEFAULT_PLAN_OPTIONS, managePrimary: true };
    const facts = loadFacts('ubuntu-docker');
    const applied = applyPlan(loadObserved('ubuntu-docker'), planRemediation(facts, loadObserved('ubuntu-docker'), options).operations);
    expect(primaryWarnings(applied, 'ubuntu-docker', true)).toEqual([]);
    expect(planRemediation(facts, applied, options).operations).toEqual([]);
  });

  it('is silent when every ENI shares the primary’s subnet: main’s connected route then leaves by the primary', () => {
    const facts = loadFacts('bare-two');
    const [primary] = facts.enis;
    const oneSubnet = { ...facts, enis: facts.enis.map((eni) => ({ ...eni, subnetCidr: primary?.subnetCidr ?? '' })) };
    const findings = planRemediation(oneSubnet, loadObserved('bare-two')).findings;
    expect(findings.filter((finding) => finding.subject.startsWith('primary '))).toEqual([]);
  });
});
