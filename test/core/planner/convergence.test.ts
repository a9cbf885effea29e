import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { EniFacts, InstanceFacts } from '../../../functions/core/model/eni-facts';
import type { PlanOptions } from '../../../functions/core/model/plan-options';
import { deriveDesiredState } from '../../../functions/core/planner/derive-desired-state';
import { InvalidPlanOptionsError } from '../../../functions/core/planner/invalid-plan-options-error';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

/** Deterministic pseudo-random numbers (a 32-bit LCG), so a failing walk can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What EC2 may say next about the three ENIs of bare-three: attached or not, IPs assigned or not, a prefix or not. */
function nextFacts(base: InstanceFacts, next: () => number): InstanceFacts {
  const enis: EniFacts[] = base.enis
    .filter((eni) => eni.deviceIndex === 0 || next() < 0.75)
    .map((eni) => ({
      ...eni,
      secondaryIpv4: eni.secondaryIpv4.filter(() => next() < 0.6),
      ipv4Prefixes: eni.deviceIndex === 1 && next() < 0.4 ? ['10.0.2.64/28'] : [],
    }));
  return { ...base, enis };
}

function nextOptions(next: () => number): PlanOptions {
  const connmark = (['auto', 'always', 'never'] as const)[Math.floor(next() * 3)] ?? 'auto';
  return { ...DEFAULT_PLAN_OPTIONS, connmark, managePrimary: next() < 0.2 };
}

describe('planning over a sequence of EC2 changes', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('applies every plan without a refused operation and re-plans nothing after it (seed %i)', (seed) => {
    // Prepare: the converged Docker host; every step changes the facts and maybe the options.
    const next = random(seed);
    const base = loadFacts('bare-three');
    let host = loadObserved('applied');
    for (let step = 0; step < 25; step += 1) {
      const facts = nextFacts(base, next);
      const options = nextOptions(next);
      // Act
      const plan = planRemediation(facts, host, options);
      host = applyPlan(host, plan.operations);
      // Assess
      expect(planRemediation(facts, host, options).operations).toEqual([]);
    }
  });

  it('comes back to the captured converged host when EC2 comes back to its facts', () => {
    const facts = { ...loadFacts('bare-three'), enis: loadFacts('bare-three').enis.map((eni) => ({ ...eni, secondaryIpv4: [] })) };
    const captured = loadObserved('applied');
    // The captured host predates the primary's table of the other subnets: converge it first.
    const start = applyPlan(captured, planRemediation(facts, captured).operations);
    const away = applyPlan(start, planRemediation({ ...facts, enis: facts.enis.slice(0, 1) }, start).operations);
    const back = applyPlan(away, planRemediation(facts, away).operations);
    const view = (host: typeof start) => ({
      rules: host.rules.map(({ family, priority, src, iif, fwmark, fwmask, table }) => ({ family, priority, src, iif, fwmark, fwmask, table })),
      routes: host.routes.filter((route) => route.table.startsWith('200')).map(({ family, table, dst, gateway, dev }) => ({ family, table, dst, gateway, dev })),
      marks: host.firewall.ownConnmark?.marks,
    });
    const sorted = (value: ReturnType<typeof view>) => ({ ...value, rules: [...value.rules].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), routes: [...value.routes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) });
    expect(view(away).rules.some((rule) => rule.table === '20001')).toBe(false);
    expect(sorted(view(back))).toEqual(sorted(view(start)));
  });
});

describe('deriveDesiredState', () => {
  it('describes the article’s ENIs: the primary’s table of eth1’s subnet, eth1’s own table, marks, no from rule of eth1’s own', () => {
    const { state, findings } = deriveDesiredState(loadFacts('ubuntu-docker'), loadObserved('ubuntu-docker'));
    expect(state.connmark).toEqual({ mask: 0x7f });
    expect(state.enis).toEqual([
      expect.objectContaining({
        mac: '0a:ff:00:01:00:28', ifname: 'enX0', table: 20000, mark: 1, iifPriority: 20000, fwmarkPriority: 21000, addresses: [],
        fromRules: [{ family: 4, priority: 22000, from: '10.0.1.0/24', localOnly: true }],
        routes: [{ family: 4, dst: '10.0.3.0/24', via: '10.0.1.1' }],
      }),
      expect.objectContaining({
        mac: '0a:ff:00:03:00:9e', ifname: 'enX1', table: 20001, mark: 2, iifPriority: 20001, fwmarkPriority: 21001, fromRules: [],
        routes: [{ family: 4, dst: '10.0.3.0/24' }, { family: 4, dst: 'default', via: '10.0.3.1' }],
      }),
    ]);
    expect(findings.map((finding) => finding.kind)).toEqual(['satisfied-by-other']);
  });

  it.each<[string, Partial<PlanOptions>]>([
    ['a mask with a hole', { markMask: 0x5 }],
    ['a table range outside the agent window', { tableRange: { min: 100, max: 199 } }],
  ])('refuses %s like planRemediation does', (_what, change) => {
    expect(() => deriveDesiredState(loadFacts('ubuntu-docker'), loadObserved('ubuntu-docker'), { ...DEFAULT_PLAN_OPTIONS, ...change })).toThrow(InvalidPlanOptionsError);
  });
});
