/** The lab's knobs; scripts/lab/lab.sh validates them again, this only keeps TypeScript callers honest. */
export type LabPreset = 'bare' | 'ubuntu-24.04';
export type LabVariant = 'base' | 'third-eni' | 'secondary-ips' | 'shared-subnet' | 'strict-rp-filter';
export type IfnameScheme = 'eth' | 'enX' | 'ens';

export interface LabOptions {
  readonly name: string;
  readonly preset: LabPreset;
  readonly variant: LabVariant;
  readonly ifnames: IfnameScheme;
  /** the instance boots with its first N ENIs; the others wait to be hot-attached (lab.sh attach) */
  readonly bootEnis?: number;
}

export interface LabInfo {
  readonly name: string;
  readonly instanceNs: string;
  readonly routerNs: string;
  readonly clientNs: string;
  /** the second client's namespace: 10.0.3.77, in the secondary ENI's subnet */
  readonly client2Ns: string;
  readonly containerNs: string;
  readonly enisFile: string;
  readonly subnetsFile: string;
  readonly instanceId: string;
  /** where ENIs that are not attached wait (their instance end, on the VPC router's bridge) */
  readonly poolNs: string;
}

export const LAB_VARIANTS: readonly LabVariant[] = ['base', 'third-eni', 'secondary-ips', 'shared-subnet', 'strict-rp-filter'];

/**
 * A lab name no other test run, worker or `npm run lab` uses: pid and a random suffix, short enough for
 * lab.sh's 24-character limit.
 */
export function uniqueLabName(prefix = 'ept'): string {
  return `${prefix}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`.slice(0, 24);
}
