import { DEFAULT_PLAN_OPTIONS } from '../defaults';
import type { InstanceFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { Plan } from '../model/plan';
import type { PlanOptions } from '../model/plan-options';
import { deriveDesiredState } from './derive-desired-state';
import { planAddresses } from './plan-addresses';
import { planLinkGroups } from './plan-link-groups';
import { planMarking } from './plan-marking';
import { planRoutes } from './plan-routes';
import { planRules } from './plan-rules';
import { validatePlanOptions } from './validate-plan-options';

/**
 * EC2 facts + observed host → the operations that make the host match, in the order the agent runs
 * them (docs/agent-protocol.md): addresses, link groups, routes, rules, sysctl, connmark, then deletions.
 */
export function planRemediation(facts: InstanceFacts, observed: ObservedHost, options: PlanOptions = DEFAULT_PLAN_OPTIONS): Plan {
  validatePlanOptions(options);
  const { state, findings } = deriveDesiredState(facts, observed, options);
  const addresses = planAddresses(state, observed, options);
  const linkGroups = planLinkGroups(state, observed);
  const routes = planRoutes(state, observed, options);
  const rules = planRules(state, observed, options);
  const marking = planMarking(state, observed, options);
  return {
    operations: [
      ...addresses.adds, ...linkGroups.adds, ...routes.replaces, ...rules.adds, ...marking,
      ...rules.dels, ...routes.dels, ...addresses.dels, ...linkGroups.dels,
    ],
    findings: [...recoveryFindings(observed), ...findings, ...addresses.findings, ...routes.findings, ...rules.findings],
  };
}

/** Applies SSM killed mid-way, which the agent undid before inspecting: reported, the plan is made from after. */
function recoveryFindings(observed: ObservedHost): Finding[] {
  return (observed.ownedState?.recovered ?? []).map((entry) => ({
    kind: 'recovered',
    subject: `apply started at ${new Date(entry.startedAt * 1000).toISOString()}`,
    detail: entry.outcome === 'rolled-back'
      ? 'was cut short (killed) and has been undone from its journal'
      : `was cut short (killed); undoing it from its journal failed: ${entry.error ?? 'no reason given'}`,
  }));
}
