import type { PlanOperation } from '../model/plan-operation';
import { InvalidPlanLineError } from './invalid-plan-line-error';
import { parseHeader } from './plan-header';
import { parseOperationLine } from './parse-operation-line';

const MAX_LINES = 20_000; // far above a real plan (15 ENIs × 50 IPs is under 1,000 lines)

/** Plan text → operations, strictly: one space between fields, lower case, every value validated. */
export function parsePlanLines(text: string): PlanOperation[] {
  if (!text.endsWith('\n')) throw new InvalidPlanLineError(1, 'the plan must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length > MAX_LINES) throw new InvalidPlanLineError(MAX_LINES + 1, 'too many lines');
  const ranges = parseHeader(lines[0] ?? '');
  if (typeof ranges === 'string') throw new InvalidPlanLineError(1, ranges);
  return lines.slice(1).map((line, index) => parseOperationLine(line, index + 2, ranges));
}
