import type { ObservedConnmark } from '../model/observed-host';
import { validateIfname, validateMac } from '../validation/field-validators';
import { InvalidValueError } from '../validation/invalid-value-error';

/**
 * Reads eni-pbr's own `table inet eni_pbr` (nft -j) back through the comments the agent writes on every
 * rule (docs/agent-protocol.md): `eni-pbr in <mac> <mark>/<mask>` and `eni-pbr restore <mark>/<mask>`.
 */
const IN_COMMENT = /^eni-pbr in ([0-9a-f:]{17}) (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})$/;
const RESTORE_COMMENT = /^eni-pbr restore (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})$/;
const MARKING_CHAIN = 'prerouting';
const RESTORE_CHAINS = ['prerouting', 'output'];

export function parseOwnTable(ownTable: { nftables: readonly Record<string, unknown>[] } | null): ObservedConnmark | null {
  if (ownTable === null) return null;
  const marks: { mac: string; ifname: string; mark: number }[] = [];
  const restores = new Set<string>();
  let mask: number | null = null;
  let consistent = true;
  const takeMask = (value: number): void => {
    if (mask !== null && mask !== value) consistent = false;
    mask ??= value;
  };
  for (const [index, item] of ownTable.nftables.entries()) {
    if (item.rule === undefined) continue; // the table and chain objects
    const at = `firewall.ownTable.nftables[${index}].rule`;
    if (typeof item.rule !== 'object' || item.rule === null || Array.isArray(item.rule)) throw new InvalidValueError(at, 'not an nft -j rule object', item.rule);
    const rule = item.rule as Record<string, unknown>;
    // The table is eni-pbr's whole: a rule the agent did not write (no comment, or a comment it never
    // writes) makes it a table to replace, and its values are never read.
    if (typeof rule.comment !== 'string') {
      consistent = false;
      continue;
    }
    const marking = IN_COMMENT.exec(rule.comment);
    const restore = RESTORE_COMMENT.exec(rule.comment);
    if (marking !== null) {
      // The agent marks in prerouting only: a marking rule elsewhere is not the table it wrote.
      if (rule.chain !== MARKING_CHAIN) consistent = false;
      takeMask(parseInt(marking[3] ?? '', 16));
      marks.push({ mac: validateMac(`${at}.comment`, marking[1]), ifname: iifnameOf(`${at}.expr`, rule.expr), mark: parseInt(marking[2] ?? '', 16) });
    } else if (restore !== null) {
      takeMask(parseInt(restore[2] ?? '', 16));
      restores.add(`${String(rule.chain)} ${parseInt(restore[1] ?? '', 16)}`);
    } else {
      consistent = false;
    }
  }
  const intact = consistent && marks.every((entry) => RESTORE_CHAINS.every((chain) => restores.has(`${chain} ${entry.mark}`)));
  return { mask: mask ?? 0, marks, intact };
}

/** The interface a marking rule matches: `{"match": {"left": {"meta": {"key": "iifname"}}, "right": "<if>"}}`. */
function iifnameOf(at: string, expr: unknown): string {
  if (Array.isArray(expr)) {
    for (const statement of expr as Record<string, unknown>[]) {
      const match = statement?.match as { left?: { meta?: { key?: unknown } }; right?: unknown } | undefined;
      if (match?.left?.meta?.key === 'iifname') return validateIfname(`${at}.iifname`, match.right);
    }
  }
  throw new InvalidValueError(at, 'marking rule without an iifname match', undefined);
}
