import type { Family } from './observed-host';

/** What one ENI should look like on the host once eni-pbr is done. */
export interface DesiredEni {
  readonly eniId: string;
  readonly mac: string;
  readonly ifname: string; // resolved from the MAC on the observed host
  readonly table: number;
  readonly routes: readonly { readonly family: Family; readonly dst: string; readonly via?: string }[];
  readonly fromRules: readonly { readonly family: Family; readonly priority: number; readonly from: string; readonly localOnly?: boolean }[];
  readonly addresses: readonly string[]; // CIDRs the interface must carry
  readonly mark?: number; // connmark value, when connmark is on
  readonly iifPriority?: number; // `iif <ENI> lookup main`, with mark
  readonly fwmarkPriority?: number; // `fwmark <mark>/<mask> lookup <table>`, with mark
}

/** `lookup main suppress_ifgroup <group>` ahead of the bands, and the ENI links that belong in the group. */
export interface DesiredSuppression {
  readonly priority: number;
  readonly group: number;
  readonly families: readonly Family[];
  readonly links: readonly { readonly mac: string; readonly ifname: string }[];
}

export interface DesiredState {
  readonly enis: readonly DesiredEni[];
  readonly suppression?: DesiredSuppression | null;
  readonly connmark: { readonly mask: number } | null;
  /** the mark mask clashes with bits in use: eni-pbr's marking pieces are neither added nor removed */
  readonly markingFrozen?: boolean;
  /** tables, priorities and MACs (marks) of ENIs that could not be resolved this time: their pieces are kept, not removed */
  readonly kept?: { readonly tables: readonly number[]; readonly priorities: readonly number[]; readonly macs?: readonly string[] };
}
