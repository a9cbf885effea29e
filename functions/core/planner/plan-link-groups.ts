import { OWN_LINK_GROUP } from '../defaults';
import type { DesiredState } from '../model/desired-state';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import { groupByKey } from './group-by-key';

type LinkGroupOp = Extract<PlanOperation, { kind: 'link-group' }>;

/**
 * ENI links into eni-pbr's interface group, and links eni-pbr put there that are no longer wanted back
 * to group 0. A link in anyone else's group is never touched (desired-suppression reports it).
 */
export function planLinkGroups(desired: DesiredState, observed: ObservedHost): { adds: LinkGroupOp[]; dels: LinkGroupOp[] } {
  const wanted = new Set((desired.suppression?.links ?? []).map((link) => link.mac));
  const kept = new Set(desired.kept?.macs ?? []);
  const adds: LinkGroupOp[] = [];
  for (const link of desired.suppression?.links ?? []) {
    const seen = observed.links.find((candidate) => candidate.ifname === link.ifname);
    if (seen?.group !== OWN_LINK_GROUP) adds.push({ kind: 'link-group', mac: link.mac, group: OWN_LINK_GROUP });
  }
  const dels: LinkGroupOp[] = [];
  const carriers = groupByKey(observed.links, (link) => (link.isBridge ? null : link.mac));
  for (const link of observed.links) {
    if (link.group !== OWN_LINK_GROUP || link.mac === '' || link.isBridge || wanted.has(link.mac) || kept.has(link.mac)) continue;
    // The agent resolves a MAC to exactly one non-bridge link; a shared MAC cannot be named safely.
    if (carriers.get(link.mac)?.length !== 1) continue;
    dels.push({ kind: 'link-group', mac: link.mac, group: 0 });
  }
  return { adds, dels };
}
