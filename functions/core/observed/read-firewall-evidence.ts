import type { ObservedRule } from '../model/observed-host';
import { OWN_PROTOCOL } from '../defaults';

/** Bit patterns with more than half the bits set are clearing masks (`mark and 0xffffbfff`): their complement is in use. */
const CLEARING_MASK_MIN_BITS = 17;
const HEX_NUMBER = /\b0x[0-9a-fA-F]{1,8}\b/g;
const OWN_LINE = /comment "eni-pbr /;
const FULL_MASK = 0xffffffff;

/**
 * Mark bits other software uses: every hex value on the ruleset's mark lines (nft and iptables-save
 * print marks in hex) outside eni-pbr's own table, and the fwmark rules eni-pbr did not write.
 */
export function foreignMarkBitsOf(markLines: readonly string[], rules: readonly ObservedRule[]): number {
  let bits = 0;
  for (const line of markLines) {
    if (OWN_LINE.test(line)) continue;
    for (const match of line.matchAll(HEX_NUMBER)) {
      const value = parseInt(match[0], 16);
      bits |= popcount(value) >= CLEARING_MASK_MIN_BITS ? ~value >>> 0 : value;
    }
  }
  for (const rule of rules) {
    if (rule.fwmark === undefined || rule.protocol === String(OWN_PROTOCOL)) continue;
    const mask = rule.fwmask ?? FULL_MASK;
    bits |= mask === FULL_MASK ? rule.fwmark : mask;
  }
  return bits >>> 0;
}

export function hasMasquerade(natLines: readonly string[]): boolean {
  return natLines.some((line) => /\b(masquerade|snat)\b/i.test(line));
}

export function hasDnat(natLines: readonly string[]): boolean {
  return natLines.some((line) => /\b(dnat|redirect)\b/i.test(line));
}

function popcount(value: number): number {
  let count = 0;
  for (let rest = value >>> 0; rest !== 0; rest >>>= 1) count += rest & 1;
  return count;
}
