import type { ApplyResult } from '../agent-protocol/apply-output';
import type { ExcludedEni } from '../core/model/eni-facts';
import type { Finding } from '../core/model/finding';
import type { PlanOperation } from '../core/model/plan-operation';

/**
 * verified        the plan was applied (or was empty) and a re-plan of the after-state is empty
 * drift-left      applied, but the after-state still needs operations (someone else changed it, or a bug)
 * dry-run-clean   --dry-run and nothing is missing
 * dry-run-pending --dry-run and the plan is not empty
 * stale-plan      the host's owned state changed between inspect and apply (another run, a retried job):
 *                 the agent refused the plan, nothing changed; the next run re-plans (issue 14)
 */
export type RemediationOutcome = 'verified' | 'drift-left' | 'dry-run-clean' | 'dry-run-pending' | 'stale-plan';

export interface RemediationTimings {
  readonly factsMs: number;
  readonly inspectMs: number;
  readonly planMs: number;
  readonly applyMs: number;
  readonly verifyMs: number;
  readonly totalMs: number;
}

export interface RemediationReport {
  readonly instanceId: string;
  readonly hostname: string;
  readonly outcome: RemediationOutcome;
  readonly dryRun: boolean;
  readonly enis: readonly { readonly eniId: string; readonly mac: string; readonly deviceIndex: number; readonly networkCardIndex: number }[];
  readonly excluded: readonly ExcludedEni[];
  /** what the first plan found: gaps, config others already satisfy, conflicts left alone */
  readonly findings: readonly Finding[];
  readonly operations: readonly PlanOperation[];
  readonly planText: string;
  /** the agent's apply result; null for a dry run or an empty plan (nothing was sent) */
  readonly applied: ApplyResult | null;
  /** what a re-plan of the after-state still wants; empty when verified */
  readonly remaining: readonly PlanOperation[];
  readonly remainingFindings: readonly Finding[];
  readonly commandRoundTrips: number;
  readonly timings: RemediationTimings;
}
