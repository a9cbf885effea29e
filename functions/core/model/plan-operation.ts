import type { Family } from './observed-host';

/** The typed operations a plan is made of; docs/agent-protocol.md gives their line form. */
export type PlanOperation =
  | { readonly kind: 'addr-add'; readonly mac: string; readonly cidr: string }
  | { readonly kind: 'addr-del'; readonly mac: string; readonly cidr: string }
  | { readonly kind: 'link-group'; readonly mac: string; readonly group: number }
  | { readonly kind: 'route-replace'; readonly family: Family; readonly table: number; readonly dst: string; readonly via?: string; readonly mac: string }
  | { readonly kind: 'route-del'; readonly family: Family; readonly table: number; readonly dst: string }
  | { readonly kind: 'rule-add'; readonly family: Family; readonly priority: number; readonly selector: RuleSelector; readonly table: number | 'main' }
  | { readonly kind: 'rule-del'; readonly family: Family; readonly priority: number; readonly selector: RuleDelSelector; readonly table: number | 'main' }
  | { readonly kind: 'sysctl-set'; readonly key: 'net.ipv4.conf.all.src_valid_mark'; readonly value: 0 | 1 }
  | { readonly kind: 'connmark-replace'; readonly mask: number; readonly marks: readonly { readonly mac: string; readonly mark: number }[] };

/** localOnly adds `iif lo`: the rule then sees only what the host itself sends (whole-subnet rules). */
export type RuleSelector =
  | { readonly from: string; readonly localOnly?: boolean }
  | { readonly fwmark: number; readonly mask: number }
  | { readonly iifMac: string }
  | { readonly suppressIfgroup: number };

/** Deletions name the interface as observed: it may be gone, so no MAC can be resolved. */
export type RuleDelSelector =
  | { readonly from: string; readonly localOnly?: boolean }
  | { readonly fwmark: number; readonly mask: number }
  | { readonly iifName: string }
  | { readonly suppressIfgroup: number };
