import type { PlanOperation } from '../model/plan-operation';
import { InvalidPlanLineError } from './invalid-plan-line-error';
import { parseHeader } from './plan-header';
import { parseOperationLine } from './parse-operation-line';

/** Lines a plan may have, header included: far above a real plan (15 ENIs × 50 IPs is under 1,000 lines). */
export const PLAN_MAX_LINES = 20_000;

/** Operations a plan may carry once: the agent applies one sysctl value and one whole marking set. */
const ONCE_PER_PLAN: ReadonlySet<PlanOperation['kind']> = new Set(['sysctl-set', 'connmark-replace']);

/** Plan text → operations, strictly: one space between fields, lower case, every value validated. */
export function parsePlanLines(text: string): PlanOperation[] {
  if (!text.endsWith('\n')) throw new InvalidPlanLineError(1, 'the plan must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  // line 0: the plan as a whole (docs/agent-protocol.md, Refusal messages)
  if (lines.length > PLAN_MAX_LINES) throw new InvalidPlanLineError(0, `more than ${PLAN_MAX_LINES} lines`);
  const ranges = parseHeader(lines[0] ?? '');
  if (typeof ranges === 'string') throw new InvalidPlanLineError(1, ranges);
  const seen = new Set<PlanOperation['kind']>();
  return lines.slice(1).map((line, index) => {
    const operation = parseOperationLine(line, index + 2, ranges);
    if (ONCE_PER_PLAN.has(operation.kind) && seen.has(operation.kind)) throw new InvalidPlanLineError(index + 2, `more than one ${operation.kind} line`);
    seen.add(operation.kind);
    return operation;
  });
}
