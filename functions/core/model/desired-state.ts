import type { Family } from './observed-host';

/** What one ENI should look like on the host once eni-pbr is done. */
export interface DesiredEni {
  readonly eniId: string;
  readonly mac: string;
  readonly ifname: string; // resolved from the MAC on the observed host
  readonly table: number;
  readonly routes: readonly { readonly family: Family; readonly dst: string; readonly via?: string }[];
  readonly fromRules: readonly { readonly family: Family; readonly priority: number; readonly from: string }[];
  readonly addresses: readonly string[]; // CIDRs the interface must carry
  readonly mark?: number; // connmark value, when connmark is on
}

export interface DesiredState {
  readonly enis: readonly DesiredEni[];
  readonly connmark: { readonly mask: number } | null;
}
