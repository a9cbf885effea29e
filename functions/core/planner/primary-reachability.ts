import type { DesiredEni } from '../model/desired-state';
import type { EniFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { PlanOptions } from '../model/plan-options';
import type { MarkingDecision } from './marking-policy';

export interface PrimaryReachContext {
  readonly primary: EniFacts;
  readonly reach: DesiredEni['routes']; // the primary's narrow table (primary-reach-routes.ts)
  readonly marked: boolean; // the primary's connections get a mark
  readonly ruleFindings: readonly Finding[]; // what desiredFromRules noticed about the primary's sources
  readonly nat: boolean; // the host NATs or forwards: published containers answer through routing before un-DNAT
  readonly marking: MarkingDecision;
  readonly options: PlanOptions;
}

/**
 * The narrow table closes the primary's gap by default: without it, its replies to a client in another
 * ENI's subnet follow main's connected route out of that ENI, and the source/dest check drops them
 * (measured in the lab: ping, host and container all failed from 10.0.3.77 to 10.0.1.40). What can
 * still keep it open, said in the words of what fails: a foreign rule that decides for the primary's
 * addresses and is left alone, or connection marking off on a host that publishes containers.
 */
export function primaryReachabilityFinding(context: PrimaryReachContext): Finding | null {
  const { primary, reach, marked, ruleFindings, nat, marking, options } = context;
  const subnets = reach.filter((route) => route.via !== undefined).map((route) => route.dst);
  const shared = reach.some((route) => route.via === undefined);
  const clients = [...subnets, ...(shared ? [`${primary.subnetCidr} (through another ENI there)`] : [])].join(', ');
  if (clients === '') return null;
  const blocked = ruleFindings.filter((finding) => finding.kind === 'conflict' || finding.kind === 'warning').map((finding) => finding.subject.replace(/^rule from /, ''));
  const reasons: string[] = [];
  if (blocked.length > 0) {
    const cure = options.overrideForeign ? 'it comes before eni-pbr’s rules' : 'overrideForeign is off';
    reasons.push(`clients in ${clients} cannot reach ${blocked.join(', ')}: another tool’s rule decides for these addresses and sends replies elsewhere (${cure})`);
  }
  if (nat && !marked) {
    const why = marking.frozen ? 'connection marking is held back (see the connmark finding)' : `connection marking is off (connmark ${options.connmark})`;
    reasons.push(`containers published on the primary’s addresses cannot answer clients in ${clients}: ${why}, so their replies leave by another ENI and its source/dest check drops them`);
  }
  if (reasons.length === 0) return null;
  return { kind: 'warning', eniId: primary.eniId, subject: `primary ${primary.primaryIpv4}`, detail: reasons.join('; ') };
}
