import type { ObservedConnmark } from '../model/observed-host';
import { validateIfname, validateMac } from '../validation/field-validators';

/**
 * Reads eni-pbr's own mangle chains back from `firewall.ownIptables` (the lines of `iptables-save -t
 * mangle` that are eni-pbr's, on hosts without nft: docs/agent-protocol.md "iptables hosts"). The same
 * comments as in the nft table carry the meaning; the table is intact only when both chains, both
 * jumps and a restore rule per mark in each chain are there, and nothing else is.
 */
const CHAIN_DECLARATION = /^:(ENI_PBR_PRE|ENI_PBR_OUT) - \[\d+:\d+\]$/;
const JUMP = /^-A (PREROUTING -j ENI_PBR_PRE|OUTPUT -j ENI_PBR_OUT)$/;
const MARKING = /^-A ENI_PBR_PRE -i (\S{1,15}) -m conntrack --ctstate NEW -m comment --comment "eni-pbr in ([0-9a-f:]{17}) (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})" -j CONNMARK --set-xmark (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})$/;
const RESTORE = /^-A (ENI_PBR_PRE|ENI_PBR_OUT) -m connmark --mark (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8}) -m comment --comment "eni-pbr restore (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})" -j MARK --set-xmark (0x[0-9a-f]{1,8})\/(0x[0-9a-f]{1,8})$/;
const EXPECTED_STRUCTURE = [':ENI_PBR_OUT', ':ENI_PBR_PRE', 'PREROUTING -j ENI_PBR_PRE', 'OUTPUT -j ENI_PBR_OUT'];

export function parseOwnIptables(lines: readonly string[] | null | undefined): ObservedConnmark | null {
  if (lines === null || lines === undefined || lines.length === 0) return null;
  const marks: { mac: string; ifname: string; mark: number }[] = [];
  const restores = new Set<string>();
  const structure = new Set<string>();
  let mask: number | null = null;
  let consistent = true;
  const takeMask = (...values: string[]): void => {
    for (const value of values) {
      const parsed = parseInt(value, 16);
      if (mask !== null && mask !== parsed) consistent = false;
      mask ??= parsed;
    }
  };
  for (const [index, line] of lines.entries()) {
    const at = `firewall.ownIptables[${index}]`;
    const declaration = CHAIN_DECLARATION.exec(line);
    const jump = JUMP.exec(line);
    const marking = MARKING.exec(line);
    const restore = RESTORE.exec(line);
    if (declaration !== null) structure.add(`:${declaration[1]}`);
    else if (jump !== null) structure.add(jump[1] ?? '');
    else if (marking !== null) {
      const [, ifname = '', mac = '', mark = '', commentMask = '', setMark = '', setMask = ''] = marking;
      if (mark !== setMark) consistent = false;
      takeMask(commentMask, setMask);
      marks.push({ mac: validateMac(at, mac), ifname: validateIfname(at, ifname), mark: parseInt(mark, 16) });
    } else if (restore !== null) {
      const [, chain = '', matchMark = '', matchMask = '', mark = '', commentMask = '', setMark = '', setMask = ''] = restore;
      if (matchMark !== mark || setMark !== mark) consistent = false;
      takeMask(matchMask, commentMask, setMask);
      restores.add(`${chain} ${parseInt(mark, 16)}`);
    } else {
      consistent = false; // a line the agent never writes (of any length): the chains are replaced whole
    }
  }
  const complete = EXPECTED_STRUCTURE.every((piece) => structure.has(piece));
  const restored = marks.every((entry) => restores.has(`ENI_PBR_PRE ${entry.mark}`) && restores.has(`ENI_PBR_OUT ${entry.mark}`));
  return { mask: mask ?? 0, marks, intact: consistent && complete && restored };
}
