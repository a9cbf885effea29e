import { encodePlanParameter } from '../agent-protocol/encode-plan-parameter';
import { DEFAULT_PLAN_OPTIONS } from '../core/defaults';
import { parseInstanceFacts } from '../core/ec2/parse-instance-facts';
import type { InstanceFacts } from '../core/model/eni-facts';
import type { ObservedHost } from '../core/model/observed-host';
import type { Plan } from '../core/model/plan';
import type { PlanOptions } from '../core/model/plan-options';
import { parseInspectDocument } from '../core/observed/parse-inspect-document';
import { renderPlanLines } from '../core/plan-lines/render-plan-lines';
import { planRemediation } from '../core/planner/plan-remediation';
import { silentLogger, type AgentCommandPort, type InstanceFactsSource, type LoggerPort } from './ports';
import type { RemediationOutcome, RemediationReport } from './remediation-report';
import { runApply, runInspect } from './run-agent-step';

export interface RemediationRequest {
  readonly instanceId: string;
  readonly dryRun?: boolean;
  readonly planOptions?: PlanOptions;
}

export interface RemediationDeps {
  readonly facts: InstanceFactsSource;
  readonly agent: AgentCommandPort;
  readonly logger?: LoggerPort;
  readonly now?: () => number; // ms, monotonic; tests pin it
}

/**
 * facts → inspect → plan → (dry run stops here) → apply → verify. At most two command round trips:
 * apply prints the after-state, and verification is a re-plan of it that must come out empty.
 */
export async function remediateInstance(request: RemediationRequest, deps: RemediationDeps): Promise<RemediationReport> {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => performance.now());
  const options = request.planOptions ?? DEFAULT_PLAN_OPTIONS;
  const { instanceId } = request;
  const dryRun = request.dryRun ?? false;
  const started = now();

  const answers = await deps.facts.describeInstance(instanceId);
  const facts = parseInstanceFacts({ instanceId, ...answers });
  const factsDone = now();
  logger.debug('facts read', { instanceId, enis: facts.enis.length, excluded: facts.excluded.length });

  const observed = parseInspectDocument(await runInspect(deps.agent, instanceId));
  const inspectDone = now();

  const plan = planRemediation(facts, observed, options);
  const planText = renderPlanLines(plan.operations, options, observed.ownedState?.digest);
  const planDone = now();
  logger.info('plan made', { instanceId, ops: plan.operations.length, findings: plan.findings.length, dryRun });

  const base = { instanceId, facts, observed, plan, planText, dryRun };
  if (dryRun) {
    const outcome = plan.operations.length === 0 ? 'dry-run-clean' : 'dry-run-pending';
    return reportOf(base, { outcome, applied: null, verify: plan, roundTrips: 1 }, [started, factsDone, inspectDone, planDone, planDone, planDone]);
  }
  if (plan.operations.length === 0) {
    // Nothing to send: the inspected state already is the verified state.
    return reportOf(base, { outcome: 'verified', applied: null, verify: plan, roundTrips: 1 }, [started, factsDone, inspectDone, planDone, planDone, planDone]);
  }

  const output = await runApply(deps.agent, instanceId, encodePlanParameter(planText));
  const applyDone = now();
  logger.info('plan applied', { instanceId, ops: output.result.operations, status: output.result.status });
  if (output.result.status === 'stale') {
    // Compare-and-swap lost: someone changed eni-pbr's state after this inspect. Not a failure to retry at once.
    logger.warn('plan stale: the host moved on since its inspect', { instanceId });
    return reportOf(base, { outcome: 'stale-plan', applied: output.result, verify: plan, roundTrips: 2 }, [started, factsDone, inspectDone, planDone, applyDone, applyDone]);
  }

  const verify = planRemediation(facts, parseInspectDocument(output.after), options);
  const verifyDone = now();
  const outcome = verify.operations.length === 0 ? 'verified' : 'drift-left';
  if (outcome === 'drift-left') logger.warn('drift left after apply', { instanceId, ops: verify.operations.length });
  return reportOf(base, { outcome, applied: output.result, verify, roundTrips: 2 }, [started, factsDone, inspectDone, planDone, applyDone, verifyDone]);
}

interface Base {
  readonly instanceId: string;
  readonly facts: InstanceFacts;
  readonly observed: ObservedHost;
  readonly plan: Plan;
  readonly planText: string;
  readonly dryRun: boolean;
}

interface Ending {
  readonly outcome: RemediationOutcome;
  readonly applied: RemediationReport['applied'];
  readonly verify: Plan;
  readonly roundTrips: number;
}

function reportOf(base: Base, ending: Ending, marks: readonly [number, number, number, number, number, number]): RemediationReport {
  const [started, facts, inspect, plan, apply, verify] = marks;
  const verified = ending.outcome === 'verified' || ending.outcome === 'drift-left';
  return {
    instanceId: base.instanceId,
    hostname: base.observed.hostname,
    outcome: ending.outcome,
    dryRun: base.dryRun,
    enis: base.facts.enis.map(({ eniId, macAddress, deviceIndex, networkCardIndex }) => ({ eniId, mac: macAddress, deviceIndex, networkCardIndex })),
    excluded: base.facts.excluded,
    findings: base.plan.findings,
    operations: base.plan.operations,
    planText: base.planText,
    applied: ending.applied,
    remaining: verified ? ending.verify.operations : [],
    remainingFindings: verified && ending.applied !== null ? ending.verify.findings : [],
    commandRoundTrips: ending.roundTrips,
    timings: {
      factsMs: facts - started,
      inspectMs: inspect - facts,
      planMs: plan - inspect,
      applyMs: apply - plan,
      verifyMs: verify - apply,
      totalMs: verify - started,
    },
  };
}
