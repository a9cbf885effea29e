import type { InstanceFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { type ForeignIndex, coverageOf } from './foreign-coverage';
import { resolveInterface } from './resolve-interface';

/**
 * With the primary ENI left to main, its replies to a client in a secondary ENI's subnet follow main's
 * connected route out of that secondary ENI, and the source/dest check drops them (measured in the
 * lab: ping, host and container all fail from 10.0.3.77 to 10.0.1.40). cloud-init leaves the same gap;
 * ec2-net-utils routes the primary itself, which counts.
 */
export function primaryReachabilityFinding(facts: InstanceFacts, observed: ObservedHost, options: PlanOptions, foreign: ForeignIndex): Finding | null {
  if (options.managePrimary) return null;
  const primary = facts.enis.find((eni) => eni.networkCardIndex === 0 && eni.deviceIndex === 0);
  if (primary === undefined) return null;
  const otherSubnets = [...new Set(facts.enis.filter((eni) => eni.subnetCidr !== primary.subnetCidr).map((eni) => eni.subnetCidr))];
  if (otherSubnets.length === 0) return null;
  const resolved = resolveInterface(primary, observed);
  if ('finding' in resolved) return null;
  const coverage = coverageOf(foreign, observed, { family: 4, address: primary.primaryIpv4, prefixlen: 32, ifname: resolved.ifname, gateway: primary.gateway });
  if (coverage?.status === 'satisfied') return null;
  return {
    kind: 'warning',
    eniId: primary.eniId,
    subject: `primary ${primary.primaryIpv4}`,
    detail: `clients in ${otherSubnets.join(', ')} cannot reach it: its replies take main's connected route out of a secondary ENI and the source/dest check drops them; enable managePrimary (--manage-primary)`,
  };
}
