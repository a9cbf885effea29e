import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { InstanceFacts } from '../../../functions/core/model/eni-facts';
import type { ObservedHost } from '../../../functions/core/model/observed-host';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

const ENX0 = '0a:ff:00:01:00:28';
const ENX1 = '0a:ff:00:03:00:9e';
const ENS5 = '0a:1b:00:00:00:01';
const ENS6 = '0a:1b:00:00:00:02';
const ENS7 = '0a:1b:00:00:00:03';

const lines = (facts: InstanceFacts, host: ObservedHost): string[] =>
  renderPlanLines(planRemediation(facts, host).operations).split('\n').slice(1, -1);
const suppressionLines = (facts: InstanceFacts, host: ObservedHost): string[] =>
  lines(facts, host).filter((line) => line.startsWith('link group ') || line.includes(' suppress-ifgroup '));

describe('main keeps what does not leave by an ENI (suppress_ifgroup)', () => {
  it('sets every ENI link aside and puts the rule ahead of the bands on the article’s host, fixing cloud-init’s rule too', () => {
    // Prepare
    const facts = loadFacts('ubuntu-docker');
    // Act
    const plan = lines(facts, loadObserved('ubuntu-docker'));
    // Assess: groups before routes, the rule before every other rule
    expect(plan.slice(0, 3)).toEqual([`link group ${ENX0} 224`, `link group ${ENX1} 224`, `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENX0}`]);
    expect(plan.filter((line) => line.startsWith('rule add'))[0]).toBe('rule add 4 20999 suppress-ifgroup 224 table main');
  });

  it('is planned for eni-pbr’s own from rules on a bare host', () => {
    expect(suppressionLines(loadFacts('bare-two'), loadObserved('bare-two'))).toEqual([
      `link group ${ENS5} 224`, `link group ${ENS6} 224`, 'rule add 4 20999 suppress-ifgroup 224 table main',
    ]);
  });

  it('adds the IPv6 rule where IPv6 from rules are planned', () => {
    expect(suppressionLines(loadFacts('ipv6'), loadObserved('ipv6'))).toEqual(
      expect.arrayContaining(['rule add 4 20999 suppress-ifgroup 224 table main', 'rule add 6 20999 suppress-ifgroup 224 table main']),
    );
  });

  it('is not planned where ec2-net-utils’ rules come before it, the primary’s too, and nothing of eni-pbr’s comes after', () => {
    const host = loadObserved('ec2-net-utils');
    const primaryRouted: ObservedHost = {
      ...host,
      rules: [...host.rules, { family: 4 as const, priority: 10000, src: '10.0.1.10', table: '10000', other: false }].sort((a, b) => a.priority - b.priority),
      routes: [...host.routes, { family: 4 as const, table: '10000', dst: 'default', gateway: '10.0.1.1', dev: 'ens5', type: 'unicast' }],
    };
    expect(suppressionLines(loadFacts('ec2-net-utils'), primaryRouted)).toEqual([]);
  });

  it('plans none of it on a converged host captured from the kernel', () => {
    expect(suppressionLines(loadFacts('bare-three'), loadObserved('applied'))).toEqual([]);
  });

  it('leaves a link in someone else’s group alone and says so', () => {
    // Prepare
    const host = loadObserved('bare-two');
    const grouped = { ...host, links: host.links.map((link) => (link.mac === ENS6 ? { ...link, group: 7 } : link)) };
    // Act
    const plan = planRemediation(loadFacts('bare-two'), grouped);
    // Assess
    expect(renderPlanLines(plan.operations)).not.toContain(`link group ${ENS6}`);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', subject: 'link ens6', detail: expect.stringContaining('group 7') }));
  });

  it('takes it all back, links to group 0, when no ENI is routed any more, and then plans nothing', () => {
    // Prepare
    const applied = loadFacts('bare-three');
    const primaryOnly = { ...applied, enis: applied.enis.filter((eni) => eni.deviceIndex === 0) };
    // Act
    const plan = planRemediation(primaryOnly, loadObserved('applied'));
    const body = renderPlanLines(plan.operations).split('\n');
    // Assess
    expect(body).toEqual(expect.arrayContaining([
      'rule del 4 20999 suppress-ifgroup 224 table main', `link group ${ENS5} 0`, `link group ${ENS6} 0`, `link group ${ENS7} 0`,
    ]));
    expect(body.indexOf(`link group ${ENS5} 0`)).toBeGreaterThan(body.indexOf('rule del 4 20999 suppress-ifgroup 224 table main'));
    expect(planRemediation(primaryOnly, applyPlan(loadObserved('applied'), plan.operations)).operations).toEqual([]);
  });

  it('keeps the last slot of the iif band for the rule: no ENI numbers into it', () => {
    const facts = loadFacts('bare-two');
    const last = { ...facts, enis: facts.enis.map((eni) => (eni.deviceIndex === 1 ? { ...eni, networkCardIndex: 9, deviceIndex: 99 } : eni)) };
    const plan = planRemediation(last, loadObserved('bare-two'), { ...DEFAULT_PLAN_OPTIONS, tableRange: { min: 20000, max: 21999 } });
    expect(renderPlanLines(plan.operations)).not.toContain('rule add 4 20999 iif');
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', detail: expect.stringContaining('overflows the priority bands') }));
  });
});
