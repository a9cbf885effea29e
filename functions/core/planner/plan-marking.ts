import type { DesiredState } from '../model/desired-state';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';

type MarkingOp = Extract<PlanOperation, { kind: 'sysctl-set' | 'connmark-replace' }>;

/**
 * The nft marking set, replaced whole when it differs from eni-pbr's table (or deleted when none is
 * wanted), and src_valid_mark (fact a: the reverse-path check needs the restored mark).
 */
export function planMarking(desired: DesiredState, observed: ObservedHost, options: PlanOptions): MarkingOp[] {
  if (desired.markingFrozen) return [];
  const mask = desired.connmark?.mask ?? options.markMask;
  const own = observed.firewall.ownConnmark;
  const marked = desired.enis.flatMap((eni) => (eni.mark === undefined ? [] : [{ mac: eni.mac, ifname: eni.ifname, mark: eni.mark }]));
  // An ENI still attached but not resolvable this time (its MAC on no link, or on two) keeps its mark
  // unless the table must be rewritten anyway: the agent refuses a plan naming a MAC it cannot resolve.
  const keptMacs = new Set(desired.connmark === null ? [] : (desired.kept?.macs ?? []));
  const kept = own !== null && own.mask === mask ? own.marks.filter((entry) => keptMacs.has(entry.mac)) : [];
  const wanted = [...marked, ...kept];
  const ops: MarkingOp[] = [];
  if (marked.length > 0 && !observed.sysctls.srcValidMark) ops.push({ kind: 'sysctl-set', key: 'net.ipv4.conf.all.src_valid_mark', value: 1 });
  const same =
    own === null
      ? marked.length === 0
      : own.intact !== false &&
        own.mask === mask &&
        own.marks.length === wanted.length &&
        wanted.every((entry) => own.marks.some((seen) => seen.mac === entry.mac && seen.ifname === entry.ifname && seen.mark === entry.mark));
  if (!same) ops.push({ kind: 'connmark-replace', mask, marks: marked.map(({ mac, mark }) => ({ mac, mark })) });
  return ops;
}
