import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';

export type MarkingDecision = { readonly on: boolean; readonly frozen: boolean; readonly findings: readonly Finding[] };

/**
 * Connmark is needed when the host NATs or forwards (Docker publishes ports through DNAT, replies leave
 * through masquerade): routing then decides before the source address is the ENI's (the article's case).
 */
export function decideMarking(observed: ObservedHost, options: PlanOptions): MarkingDecision {
  const evidence = hostNatsOrForwards(observed);
  const wanted = options.connmark === 'always' || (options.connmark === 'auto' && evidence.length > 0);
  if (!wanted) return { on: false, frozen: false, findings: [] };
  // Neither nft nor iptables-restore: the agent refuses any connmark line (exit 7), and with it the whole
  // plan, so the host would not even get its tables and `from` rules. Leave marking alone and say so.
  if (observed.firewall.backend === 'none') {
    const detail = 'the host has neither nft nor iptables-restore; no marking planned or removed, NATed replies stay unrouted';
    return { on: false, frozen: true, findings: [{ kind: 'warning', subject: 'connmark', detail }] };
  }
  const clash = (observed.firewall.foreignMarkBits & options.markMask) >>> 0;
  if (clash !== 0) {
    const detail = `mask 0x${options.markMask.toString(16)} overlaps bits 0x${clash.toString(16)} other software uses; no marking planned or removed`;
    return { on: false, frozen: true, findings: [{ kind: 'mark-bits-in-use', subject: 'connmark', detail }] };
  }
  return { on: true, frozen: false, findings: [] };
}

export function hostNatsOrForwards(observed: ObservedHost): string[] {
  return [
    ...(observed.firewall.masquerade ? ['masquerade'] : []),
    ...(observed.firewall.dnat ? ['dnat'] : []),
    ...(observed.bridges.length > 0 ? [`bridges ${observed.bridges.join(',')}`] : []),
    ...(observed.sysctls.ipForward ? ['ip_forward'] : []),
  ];
}
