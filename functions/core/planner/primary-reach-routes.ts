import type { DesiredEni } from '../model/desired-state';
import type { EniFacts } from '../model/eni-facts';
import { cidrContains, parseCidr } from '../validation/cidr';

export const isPrimaryEni = (eni: EniFacts): boolean => eni.networkCardIndex === 0 && eni.deviceIndex === 0;

/**
 * The primary's table when it is not managed whole (managePrimary off): only the subnets of the other
 * ENIs, via the primary's own router. Main holds a connected route to each of them out of that ENI, so
 * the primary's replies to a client there left with the primary's source through another ENI, whose
 * source/dest check dropped them. A lookup that finds nothing here falls through to the next rule
 * (checked on the lab's kernel), so main keeps deciding for every other destination — its static
 * routes out of eth0 included. A subnet that overlaps the primary's own (an ENI sharing it) gets the
 * primary's connected route instead: main's may be the other ENI's.
 */
export function primaryReachRoutes(primary: EniFacts, all: readonly EniFacts[]): DesiredEni['routes'] {
  const own = parseCidr(primary.subnetCidr);
  const routes = new Map<string, DesiredEni['routes'][number]>();
  for (const other of all) {
    const theirs = parseCidr(other.subnetCidr);
    if (other === primary || own === null || theirs === null || theirs.family !== 4) continue;
    const overlaps = cidrContains(own, theirs.address, 4) || cidrContains(theirs, own.address, 4);
    if (overlaps) routes.set(primary.subnetCidr, { family: 4, dst: primary.subnetCidr });
    else routes.set(other.subnetCidr, { family: 4, dst: other.subnetCidr, via: primary.gateway });
  }
  // The connected route first, as for the other tables (subnet before what goes via a router).
  return [...routes.values()].sort((a, b) => Number(a.via !== undefined) - Number(b.via !== undefined));
}
