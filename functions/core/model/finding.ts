/**
 * What the planner noticed beside its operations (which say themselves what is missing or stale): config
 * others already satisfy, or trouble it will not touch.
 */
export type FindingKind =
  | 'satisfied-by-other' // correct config from cloud-init, ec2-net-utils, … counts as done
  | 'conflict' // foreign config contradicts the desired state; left alone unless overrideForeign
  | 'mark-bits-in-use' // the configured mark mask overlaps bits other software uses
  | 'interface-not-found' // no link carries the ENI's MAC
  | 'excluded' // an ENI eni-pbr does not route (not attached, EFA-only, trunk, branch)
  | 'recovered' // the agent found an apply cut short (SIGKILL) and undid it before inspecting
  | 'warning';

export type ManagerName = 'cloud-init' | 'ec2-net-utils' | 'nm-cloud-setup' | 'vpc-cni' | 'unknown';

export interface Finding {
  readonly kind: FindingKind;
  readonly eniId?: string;
  readonly subject: string; // what it is about, e.g. 'rule from 10.0.3.158', 'table 101'
  readonly detail: string;
  readonly manager?: ManagerName; // with satisfied-by-other / conflict
}
