import { AGENT_PRIORITY_WINDOW, AGENT_TABLE_WINDOW } from '../defaults';

export const PLAN_MAGIC = 'eni-pbr-plan';
export const PLAN_VERSION = 1;
const HEADER_PATTERN = /^eni-pbr-plan 1 tables=([1-9]\d{0,8})-([1-9]\d{0,8}) prefs=([1-9]\d{0,8})-([1-9]\d{0,8})$/;

export interface PlanRanges {
  readonly tableRange: { readonly min: number; readonly max: number };
  readonly priorityRange: { readonly min: number; readonly max: number };
}

export function renderHeader(ranges: PlanRanges): string {
  return `${PLAN_MAGIC} ${PLAN_VERSION} tables=${ranges.tableRange.min}-${ranges.tableRange.max} prefs=${ranges.priorityRange.min}-${ranges.priorityRange.max}`;
}

/** The header's ranges, or a reason; they must lie inside the agent's windows like the agent demands. */
export function parseHeader(line: string): PlanRanges | string {
  const match = HEADER_PATTERN.exec(line);
  if (match === null) return `not a version ${PLAN_VERSION} plan header`;
  const [tableMin, tableMax, prefMin, prefMax] = match.slice(1).map(Number) as [number, number, number, number];
  if (tableMin > tableMax || tableMin < AGENT_TABLE_WINDOW.min || tableMax > AGENT_TABLE_WINDOW.max) return 'tables outside the agent window';
  if (prefMin > prefMax || prefMin < AGENT_PRIORITY_WINDOW.min || prefMax > AGENT_PRIORITY_WINDOW.max) return 'prefs outside the agent window';
  return { tableRange: { min: tableMin, max: tableMax }, priorityRange: { min: prefMin, max: prefMax } };
}
