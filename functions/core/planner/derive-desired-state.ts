import { DEFAULT_PLAN_OPTIONS } from '../defaults';
import type { DesiredEni, DesiredState } from '../model/desired-state';
import type { EniFacts, InstanceFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOptions } from '../model/plan-options';
import { cidrContains, parseCidr } from '../validation/cidr';
import { desiredFromRules } from './desired-from-rules';
import { markOf, numbersOf } from './eni-numbering';
import { indexForeign } from './foreign-coverage';
import { desiredSuppression } from './desired-suppression';
import { primaryReachabilityFinding } from './primary-reachability';
import { isPrimaryEni, primaryReachRoutes } from './primary-reach-routes';
import { decideMarking, hostNatsOrForwards } from './marking-policy';
import { learnedRouter6, resolveInterface } from './resolve-interface';
import { validatePlanOptions } from './validate-plan-options';

export interface DesiredOutcome {
  readonly state: DesiredState;
  readonly findings: readonly Finding[];
}

/** EC2 facts + observed host → what every routed ENI should look like, and what was noticed on the way. */
export function deriveDesiredState(facts: InstanceFacts, observed: ObservedHost, options: PlanOptions = DEFAULT_PLAN_OPTIONS): DesiredOutcome {
  validatePlanOptions(options); // public too: a mask with a hole must not reach markOf through this door either
  const findings: Finding[] = facts.excluded.map((excluded) => ({ kind: 'excluded', eniId: excluded.eniId, subject: excluded.reason, detail: excluded.detail }));
  const marking = decideMarking(observed, options);
  findings.push(...marking.findings);
  const foreign = indexForeign(observed, options);
  const enis: DesiredEni[] = [];
  const kept = { tables: [] as number[], priorities: [] as number[], macs: [] as string[] };
  for (const eni of facts.enis) {
    // The primary unmanaged: its secondary IPs, and a table of the other ENIs' subnets only (primary-reach-routes.ts).
    const reach = isPrimaryEni(eni) && !options.managePrimary ? primaryReachRoutes(eni, facts.enis) : null;
    const routed = reach === null || reach.length > 0;
    const numbers = numbersOf(eni, options);
    if (typeof numbers === 'string') {
      findings.push({ kind: 'warning', eniId: eni.eniId, subject: `card ${eni.networkCardIndex} device ${eni.deviceIndex}`, detail: `${numbers}; ENI not routed` });
      continue;
    }
    const resolved = resolveInterface(eni, observed);
    if ('finding' in resolved) {
      findings.push(resolved.finding);
      kept.tables.push(numbers.table);
      kept.macs.push(eni.macAddress);
      kept.priorities.push(numbers.iifPriority, numbers.fwmarkPriority, numbers.fromPriority);
      continue;
    }
    const { ifname } = resolved;
    const router6 = learnedRouter6(observed, ifname);
    // IPv6 stays with main beside the narrow table, which holds IPv4 subnets only.
    const fromRules = routed
      ? desiredFromRules({
        eni: reach === null ? eni : { ...eni, ipv6Addresses: [] },
        ifname, fromPriority: numbers.fromPriority, aloneInSubnet: isAloneInSubnet(eni, facts.enis), router6, observed, foreign, options,
      })
      : { rules: [], findings: [] };
    findings.push(...fromRules.findings);
    const mark = marking.on && routed ? markOf(eni, options.markMask) : null;
    if (marking.on && routed && mark === null) {
      findings.push({ kind: 'warning', eniId: eni.eniId, subject: 'connmark', detail: `mark of card ${eni.networkCardIndex} device ${eni.deviceIndex} does not fit mask 0x${options.markMask.toString(16)}` });
    }
    if (!observed.addresses.some((address) => address.ifname === ifname && address.local === eni.primaryIpv4)) {
      findings.push({ kind: 'warning', eniId: eni.eniId, subject: `address ${eni.primaryIpv4}`, detail: `the primary IPv4 is not on ${ifname} (DHCP not done?)` });
    }
    enis.push(desiredEni(eni, ifname, numbers, fromRules.rules, mark, router6, reach));
    if (reach !== null) {
      const gap = primaryReachabilityFinding({ primary: eni, reach, marked: mark !== null, ruleFindings: fromRules.findings, nat: hostNatsOrForwards(observed).length > 0, marking, options });
      if (gap !== null) findings.push(gap);
    }
  }
  const suppressed = desiredSuppression(facts, observed, options, enis);
  findings.push(...suppressed.findings);
  const state: DesiredState = { enis, suppression: suppressed.suppression, connmark: marking.on ? { mask: options.markMask } : null, markingFrozen: marking.frozen, kept };
  return { state, findings };
}

function desiredEni(
  eni: EniFacts, ifname: string, numbers: Exclude<ReturnType<typeof numbersOf>, string>, fromRules: DesiredEni['fromRules'], mark: number | null,
  router6: string | undefined, reach: DesiredEni['routes'] | null,
): DesiredEni {
  const needsTable4 = mark !== null || fromRules.some((rule) => rule.family === 4);
  const needsTable6 = fromRules.some((rule) => rule.family === 6) && router6 !== undefined;
  const table4: DesiredEni['routes'] = reach ?? [{ family: 4, dst: eni.subnetCidr }, { family: 4, dst: 'default', via: eni.gateway }];
  const routes: DesiredEni['routes'] = [
    ...(needsTable4 ? table4 : []),
    ...(needsTable6 ? [{ family: 6 as const, dst: 'default', via: router6 }] : []),
  ];
  const prefixlen = eni.subnetCidr.slice(eni.subnetCidr.indexOf('/'));
  return {
    eniId: eni.eniId, mac: eni.macAddress, ifname, table: numbers.table, routes, fromRules,
    addresses: eni.secondaryIpv4.map((address) => `${address}${prefixlen}`),
    ...(mark === null ? {} : { mark, iifPriority: numbers.iifPriority, fwmarkPriority: numbers.fwmarkPriority }),
  };
}

/**
 * Fact (e): an ENI alone in its subnet needs one whole-subnet rule; ENIs sharing one need per-IP rules.
 * Overlap, not equality: subnets of two VPCs may overlap, and the first whole-subnet rule would win.
 */
function isAloneInSubnet(eni: EniFacts, all: readonly EniFacts[]): boolean {
  const own = parseCidr(eni.subnetCidr);
  return all.every((other) => {
    const theirs = parseCidr(other.subnetCidr);
    if (other === eni || own === null || theirs === null) return true;
    return !cidrContains(own, theirs.address, 4) && !cidrContains(theirs, own.address, 4);
  });
}
