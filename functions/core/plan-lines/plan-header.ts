import { AGENT_PRIORITY_WINDOW, AGENT_TABLE_WINDOW } from '../defaults';

export const PLAN_MAGIC = 'eni-pbr-plan';
export const PLAN_VERSION = 1;
const HEADER_PATTERN = /^eni-pbr-plan 1 tables=([1-9]\d{0,8})-([1-9]\d{0,8}) prefs=([1-9]\d{0,8})-([1-9]\d{0,8})(?: state=([0-9a-f]{64}))?$/;

export interface PlanRanges {
  readonly tableRange: { readonly min: number; readonly max: number };
  readonly priorityRange: { readonly min: number; readonly max: number };
}

/**
 * The header; `state` is the digest of the owned state the plan was computed from (the inspect
 * document's `state.digest`): the agent applies only while its own digest still equals it
 * (compare-and-swap, issue 14), so a stale plan can never undo a newer one.
 */
export function renderHeader(ranges: PlanRanges, state?: string): string {
  const base = `${PLAN_MAGIC} ${PLAN_VERSION} tables=${ranges.tableRange.min}-${ranges.tableRange.max} prefs=${ranges.priorityRange.min}-${ranges.priorityRange.max}`;
  return state === undefined ? base : `${base} state=${state}`;
}

/** The header's `state=` digest, or undefined when the plan does not carry one. */
export function headerState(line: string): string | undefined {
  return HEADER_PATTERN.exec(line)?.[5];
}

/** The header's ranges, or a reason; they must lie inside the agent's windows like the agent demands. */
export function parseHeader(line: string): PlanRanges | string {
  const match = HEADER_PATTERN.exec(line);
  if (match === null) return `not a version ${PLAN_VERSION} plan header`;
  const [tableMin, tableMax, prefMin, prefMax] = match.slice(1, 5).map(Number) as [number, number, number, number];
  if (tableMin > tableMax || tableMin < AGENT_TABLE_WINDOW.min || tableMax > AGENT_TABLE_WINDOW.max) return 'tables outside the agent window';
  if (prefMin > prefMax || prefMin < AGENT_PRIORITY_WINDOW.min || prefMax > AGENT_PRIORITY_WINDOW.max) return 'prefs outside the agent window';
  return { tableRange: { min: tableMin, max: tableMax }, priorityRange: { min: prefMin, max: prefMax } };
}
