import { AGENT_PRIORITY_WINDOW, AGENT_TABLE_WINDOW, DEFAULT_PLAN_OPTIONS, WELL_KNOWN_MARK_BITS } from '../../functions/core/defaults';
import { validatePlanOptions } from '../../functions/core/planner/validate-plan-options';

describe('the default options', () => {
  it('use a mark mask clear of kube-proxy, the VPC CNI, Cilium, Calico and Tailscale', () => {
    expect((DEFAULT_PLAN_OPTIONS.markMask & WELL_KNOWN_MARK_BITS) >>> 0).toBe(0);
  });

  it('lie inside the agent’s windows and pass their own validation', () => {
    expect(DEFAULT_PLAN_OPTIONS.tableRange.min).toBeGreaterThanOrEqual(AGENT_TABLE_WINDOW.min);
    expect(DEFAULT_PLAN_OPTIONS.priorityRange.max).toBeLessThanOrEqual(AGENT_PRIORITY_WINDOW.max);
    expect(validatePlanOptions(DEFAULT_PLAN_OPTIONS)).toBe(DEFAULT_PLAN_OPTIONS);
  });
});
