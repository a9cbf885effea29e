import type { EniFacts } from '../model/eni-facts';
import type { PlanOptions } from '../model/plan-options';
import { trailingZeros } from './validate-plan-options';

/** Offsets of the three rule bands inside priorityRange: iif→main first, then fwmark, then from (fact b). */
export const FWMARK_BAND = 1000;
export const FROM_BAND = 2000;
const DEVICES_PER_CARD_IN_MARK = 16; // mark = 1 + 16·card + device: devices 0–15 per card
const DEVICES_PER_CARD = 100; // k = 100·card + device: device 100 of card 0 would be card 1's device 0

export interface EniNumbers {
  readonly table: number;
  readonly iifPriority: number;
  readonly fwmarkPriority: number;
  readonly fromPriority: number;
}

/** k = 100·card + device; table = min + k, priorities P + k, P + 1000 + k, P + 2000 + k. A string says why not. */
export function numbersOf(eni: EniFacts, options: PlanOptions): EniNumbers | string {
  if (eni.deviceIndex >= DEVICES_PER_CARD) return `device index ${eni.deviceIndex} would share its table and priorities with card ${eni.networkCardIndex + 1}`;
  const k = DEVICES_PER_CARD * eni.networkCardIndex + eni.deviceIndex;
  const table = options.tableRange.min + k;
  const base = options.priorityRange.min;
  if (table > options.tableRange.max) return `table ${table} lies outside tableRange ${options.tableRange.min}-${options.tableRange.max}`;
  // The last slot of the iif band holds the suppress_ifgroup rule (desired-suppression.ts).
  if (k >= FWMARK_BAND - 1) return `card ${eni.networkCardIndex} device ${eni.deviceIndex} overflows the priority bands`;
  const fromPriority = base + FROM_BAND + k;
  if (fromPriority > options.priorityRange.max) return `priority ${fromPriority} lies outside priorityRange ${base}-${options.priorityRange.max}`;
  return { table, iifPriority: base + k, fwmarkPriority: base + FWMARK_BAND + k, fromPriority };
}

/** (1 + 16·card + device) shifted to the mask's lowest bit; null when it does not fit the mask. */
export function markOf(eni: EniFacts, mask: number): number | null {
  if (eni.deviceIndex >= DEVICES_PER_CARD_IN_MARK) return null;
  const shift = trailingZeros(mask);
  const value = (1 + DEVICES_PER_CARD_IN_MARK * eni.networkCardIndex + eni.deviceIndex) * 2 ** shift;
  if (value > 0xffffffff || (value & ~mask) !== 0) return null;
  return value >>> 0;
}
