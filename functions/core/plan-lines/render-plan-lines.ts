import { DEFAULT_PLAN_OPTIONS } from '../defaults';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import { InvalidPlanLineError } from './invalid-plan-line-error';
import { renderHeader } from './plan-header';
import { parseHeader } from './plan-header';
import { parseOperationLine } from './parse-operation-line';
import { renderOperation } from './render-operation';

/**
 * The plan text the agent applies: the header, then one line per operation. Every line is parsed back
 * before it is returned, so the core never hands the agent a line the agent would refuse.
 */
export function renderPlanLines(operations: readonly PlanOperation[], options: PlanOptions = DEFAULT_PLAN_OPTIONS, state?: string): string {
  if (state !== undefined && !/^[0-9a-f]{64}$/.test(state)) throw new InvalidPlanLineError(1, 'the state digest is not a sha256');
  const header = renderHeader(options, state);
  const ranges = parseHeader(header);
  if (typeof ranges === 'string') throw new InvalidPlanLineError(1, ranges);
  const lines = operations.map((op, index) => {
    const line = renderOperation(op);
    parseOperationLine(line, index + 2, ranges);
    return line;
  });
  return `${[header, ...lines].join('\n')}\n`;
}
