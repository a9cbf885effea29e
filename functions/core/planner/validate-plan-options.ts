import { AGENT_PRIORITY_WINDOW, AGENT_TABLE_WINDOW } from '../defaults';
import type { PlanOptions } from '../model/plan-options';
import { InvalidPlanOptionsError } from './invalid-plan-options-error';

/** The agent refuses a plan whose header ranges leave its windows (docs/agent-protocol.md), so refuse them first. */
export function validatePlanOptions(options: PlanOptions): PlanOptions {
  assertRange('tableRange', options.tableRange, AGENT_TABLE_WINDOW);
  assertRange('priorityRange', options.priorityRange, AGENT_PRIORITY_WINDOW);
  if (!isContiguousMask(options.markMask)) {
    throw new InvalidPlanOptionsError(`markMask must be one run of set bits inside 32 bits (got ${String(options.markMask)})`);
  }
  if (!['auto', 'always', 'never'].includes(options.connmark)) throw new InvalidPlanOptionsError('connmark must be auto, always or never');
  return options;
}

function assertRange(name: string, range: { min: number; max: number }, window: { min: number; max: number }): void {
  const valid = Number.isInteger(range.min) && Number.isInteger(range.max) && range.min <= range.max;
  if (!valid || range.min < window.min || range.max > window.max) {
    throw new InvalidPlanOptionsError(`${name} ${range.min}-${range.max} must lie inside ${window.min}-${window.max}`);
  }
}

export function isContiguousMask(mask: number): boolean {
  if (!Number.isInteger(mask) || mask <= 0 || mask > 0xffffffff) return false;
  const shifted = mask / 2 ** trailingZeros(mask);
  return Number.isInteger(Math.log2(shifted + 1));
}

export function trailingZeros(mask: number): number {
  let zeros = 0;
  while (zeros < 32 && Math.floor(mask / 2 ** zeros) % 2 === 0) zeros += 1;
  return zeros;
}
