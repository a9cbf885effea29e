import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { EniFacts, InstanceFacts } from '../../../functions/core/model/eni-facts';
import type { ObservedHost } from '../../../functions/core/model/observed-host';
import type { PlanOperation } from '../../../functions/core/model/plan-operation';
import type { PlanOptions } from '../../../functions/core/model/plan-options';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

const PRIMARY_TABLE = 20000;
const isPrimaryWarning = (finding: { kind: string; subject: string }): boolean => finding.kind === 'warning' && finding.subject.startsWith('primary ');

function withEni(facts: InstanceFacts, index: number, change: Partial<EniFacts>): InstanceFacts {
  return { ...facts, enis: facts.enis.map((eni, at) => (at === index ? { ...eni, ...change } : eni)) };
}

/** The article's host with a foreign rule that sends the primary's replies out of the secondary ENI. */
function foreignRuleOnPrimary(): ObservedHost {
  const host = loadObserved('ubuntu-docker');
  return {
    ...host,
    rules: [...host.rules, { family: 4 as const, priority: 32000, src: '10.0.1.40', table: '101', protocol: 'static', other: false }].sort((a, b) => a.priority - b.priority),
  };
}

interface Case {
  readonly name: string;
  readonly facts: InstanceFacts;
  readonly host: ObservedHost;
  readonly options?: Partial<PlanOptions>;
  readonly planned: readonly Partial<PlanOperation>[]; // each must be in the plan (objectContaining)
  readonly notPlanned?: readonly Partial<PlanOperation>[];
  readonly warning?: string; // the primary's warning must contain this; absent: no primary warning
}

const twoSubnets = loadFacts('bare-two'); // primary 10.0.1.10 in 10.0.1.0/24, eth1 10.0.2.20 in 10.0.2.0/24
const primaryMac = twoSubnets.enis[0]?.macAddress ?? '';
const CASES: readonly Case[] = [
  {
    name: 'a table of the other subnet via the primary’s router, reached from the primary’s subnet (bare host)',
    facts: twoSubnets,
    host: loadObserved('bare-two'),
    planned: [
      { kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.2.0/24', via: '10.0.1.1', mac: primaryMac },
      { kind: 'rule-add', priority: 22000, selector: { from: '10.0.1.0/24', localOnly: true }, table: PRIMARY_TABLE },
    ],
    notPlanned: [{ kind: 'route-replace', table: PRIMARY_TABLE, dst: 'default' }, { kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.1.0/24' }],
  },
  {
    name: 'the primary’s secondary IPs EC2 assigned, added with the ENI’s other pieces',
    facts: withEni(twoSubnets, 0, { secondaryIpv4: ['10.0.1.11', '10.0.1.12'] }),
    host: loadObserved('bare-two'),
    planned: [{ kind: 'addr-add', mac: primaryMac, cidr: '10.0.1.11/24' }, { kind: 'addr-add', mac: primaryMac, cidr: '10.0.1.12/24' }],
  },
  {
    name: 'only the secondary IPs on a one-ENI instance: no table, no rule',
    facts: { ...twoSubnets, enis: [{ ...twoSubnets.enis[0], secondaryIpv4: ['10.0.1.11'] } as EniFacts] },
    host: loadObserved('bare-two'),
    planned: [{ kind: 'addr-add', mac: primaryMac, cidr: '10.0.1.11/24' }],
    notPlanned: [{ kind: 'route-replace' }, { kind: 'rule-add' }, { kind: 'link-group' }],
  },
  {
    name: 'the primary’s connected route when another ENI shares its subnet, and a rule per address',
    facts: withEni(withEni(twoSubnets, 1, { subnetCidr: '10.0.1.0/24', gateway: '10.0.1.1', primaryIpv4: '10.0.1.20' }), 0, { secondaryIpv4: ['10.0.1.11'] }),
    host: loadObserved('bare-two'),
    planned: [
      { kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.1.0/24', mac: primaryMac },
      { kind: 'rule-add', selector: { from: '10.0.1.10/32' }, table: PRIMARY_TABLE },
      { kind: 'rule-add', selector: { from: '10.0.1.11/32' }, table: PRIMARY_TABLE },
    ],
    notPlanned: [{ kind: 'route-replace', table: PRIMARY_TABLE, via: '10.0.1.1' }],
  },
  {
    name: 'one route per subnet when two ENIs share one, as in the lab’s shared-subnet variant',
    facts: loadFacts('shared-subnet'),
    host: loadObserved('shared-subnet'),
    planned: [{ kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.2.0/24', via: '10.0.1.1' }],
  },
  {
    name: 'the primary’s connections marked on a Docker host: its NATed replies take the narrow table too',
    facts: loadFacts('ubuntu-docker'),
    host: loadObserved('ubuntu-docker'),
    planned: [
      { kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.3.0/24', via: '10.0.1.1' },
      { kind: 'rule-add', priority: 21000, selector: { fwmark: 1, mask: 0x7f }, table: PRIMARY_TABLE },
      { kind: 'rule-add', priority: 20000, selector: { iifMac: '0a:ff:00:01:00:28' }, table: 'main' },
    ],
  },
  {
    name: 'a warning in plain words when connection marking is off on a Docker host',
    facts: loadFacts('ubuntu-docker'),
    host: loadObserved('ubuntu-docker'),
    options: { connmark: 'never' },
    planned: [{ kind: 'rule-add', selector: { from: '10.0.1.0/24', localOnly: true }, table: PRIMARY_TABLE }],
    warning: 'containers published on the primary’s addresses cannot answer clients in 10.0.3.0/24: connection marking is off (connmark never)',
  },
  {
    name: 'a warning, and a conflict, when another tool’s rule sends the primary’s replies elsewhere',
    facts: loadFacts('ubuntu-docker'),
    host: foreignRuleOnPrimary(),
    planned: [{ kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.3.0/24', via: '10.0.1.1' }],
    notPlanned: [{ kind: 'rule-add', selector: { from: '10.0.1.0/24', localOnly: true } }],
    warning: 'clients in 10.0.3.0/24 cannot reach 10.0.1.40: another tool’s rule decides for these addresses',
  },
  {
    name: 'the full table with --manage-primary, as before',
    facts: loadFacts('ubuntu-docker'),
    host: loadObserved('ubuntu-docker'),
    options: { managePrimary: true },
    planned: [
      { kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.1.0/24' },
      { kind: 'route-replace', table: PRIMARY_TABLE, dst: 'default', via: '10.0.1.1' },
    ],
    notPlanned: [{ kind: 'route-replace', table: PRIMARY_TABLE, dst: '10.0.3.0/24' }],
  },
];

describe('the primary ENI by default: its secondary IPs, and a table that reaches the other ENIs’ subnets', () => {
  it.each(CASES)('$name', ({ facts, host, options: change, planned, notPlanned = [], warning }) => {
    // Prepare
    const options = { ...DEFAULT_PLAN_OPTIONS, ...change };
    // Act
    const plan = planRemediation(facts, host, options);
    const after = applyPlan(host, plan.operations);
    // Assess
    for (const op of planned) expect(plan.operations).toContainEqual(expect.objectContaining(op));
    for (const op of notPlanned) expect(plan.operations).not.toContainEqual(expect.objectContaining(op));
    const warnings = plan.findings.filter(isPrimaryWarning);
    expect(warnings.map((finding) => finding.detail)).toEqual(warning === undefined ? [] : [expect.stringContaining(warning)]);
    expect(planRemediation(facts, after, options).operations).toEqual([]);
  });

  it('removes a secondary IP of the primary once EC2 unassigns it, and only the one it added', () => {
    const facts = withEni(twoSubnets, 0, { secondaryIpv4: ['10.0.1.11'] });
    const added = applyPlan(loadObserved('bare-two'), planRemediation(facts, loadObserved('bare-two')).operations);

    const plan = planRemediation(twoSubnets, added);

    expect(plan.operations).toEqual([{ kind: 'addr-del', mac: primaryMac, cidr: '10.0.1.11/24' }]);
    expect(planRemediation(twoSubnets, applyPlan(added, plan.operations)).operations).toEqual([]);
  });

  it.each([
    ['default → --manage-primary → default', [false, true, false]],
    ['--manage-primary → default', [true, false]],
  ])('converges when the option changes: %s', (_name, steps) => {
    const facts = loadFacts('ubuntu-docker');
    let host = loadObserved('ubuntu-docker');
    for (const managePrimary of steps) {
      const options = { ...DEFAULT_PLAN_OPTIONS, managePrimary };
      host = applyPlan(host, planRemediation(facts, host, options).operations);
      expect(planRemediation(facts, host, options).operations).toEqual([]);
    }
    const table = host.routes.filter((route) => route.table === String(PRIMARY_TABLE)).map((route) => route.dst);
    expect(table).toEqual(['10.0.3.0/24']);
  });
});
