/** The host as the agent's inspect document shows it, parsed into domain terms. */
export type Family = 4 | 6;

export interface ObservedLink {
  readonly ifindex: number;
  readonly ifname: string;
  readonly mac: string; // lower case; '' for links without one
  readonly operstate: string;
  readonly isBridge: boolean;
  readonly group?: number; // interface group (0 = default); absent when /etc/iproute2/group names it
  readonly master?: string;
}

export interface ObservedAddress {
  readonly ifname: string;
  readonly family: Family;
  readonly local: string;
  readonly prefixlen: number;
  readonly label?: string;
}

export interface ObservedRule {
  readonly family: Family;
  readonly priority: number;
  readonly src?: string; // CIDR; undefined for "from all"
  readonly iif?: string;
  readonly iifDetached?: boolean;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly table: string; // numeric id as text, or 'main' | 'local' | 'default'
  readonly protocol?: string;
  readonly suppressPrefixlength?: number;
  readonly suppressIfgroup?: number;
  readonly other: boolean; // carries selectors eni-pbr does not model (to, tos, not, uidrange…)
}

export interface ObservedRoute {
  readonly family: Family;
  readonly table: string; // 'main' | numeric id as text | …
  readonly dst: string; // 'default' or a CIDR
  readonly gateway?: string;
  readonly dev?: string;
  readonly protocol?: string;
  readonly scope?: string;
  readonly type?: string; // 'unicast' when absent in ip -j output
}

/** The marking set found in eni-pbr's own nft table. */
export interface ObservedConnmark {
  readonly mask: number;
  readonly marks: readonly { readonly mac: string; readonly ifname: string; readonly mark: number }[];
  /** false when a mark lacks its restore rule in a chain or the rules disagree on the mask: replace the table */
  readonly intact?: boolean;
}

export interface ObservedFirewall {
  readonly backend: 'nft' | 'iptables' | 'none';
  readonly ownConnmark: ObservedConnmark | null;
  /** mark bits other software uses (from mark expressions and fwmark rules not owned by eni-pbr) */
  readonly foreignMarkBits: number;
  readonly masquerade: boolean;
  readonly dnat: boolean;
}

export interface ObservedSysctls {
  readonly ipForward: boolean;
  readonly srcValidMark: boolean;
  readonly rpFilter: Readonly<Record<string, number>>; // 'all', 'default' and every link
}

export interface ObservedManagers {
  readonly cloudInitHotplug: boolean;
  readonly netplan: boolean;
  readonly ec2NetUtils: boolean;
  readonly nmCloudSetup: boolean;
  readonly networkManager: boolean;
  readonly systemdNetworkd: boolean;
  readonly vpcCni: boolean;
}

/**
 * An apply the agent found cut short — SSM's timeout and cancel SIGKILL the whole process group
 * (amazon-ssm-agent executers_unix.go killProcess), so no trap runs — and undid from its journal
 * before it inspected (docs/agent-protocol.md "Interrupted applies").
 */
export interface RecoveredApply {
  readonly startedAt: number; // epoch seconds the interrupted apply began
  readonly outcome: 'rolled-back' | 'rollback-failed';
  readonly error: string | null;
}

/** The owned-state digest a plan is tied to (compare-and-swap), and what the agent recovered on the way. */
export interface OwnedState {
  readonly digest: string; // sha256 of the agent's owned-state snapshot: the apply result's `before`
  readonly recovered: readonly RecoveredApply[];
}

export interface ObservedHost {
  readonly schemaVersion: 1;
  readonly hostname: string;
  readonly links: readonly ObservedLink[];
  readonly bridges: readonly string[];
  readonly addresses: readonly ObservedAddress[];
  readonly rules: readonly ObservedRule[];
  readonly routes: readonly ObservedRoute[];
  readonly firewall: ObservedFirewall;
  readonly sysctls: ObservedSysctls;
  readonly managers: ObservedManagers;
  readonly ownedState?: OwnedState; // absent from agents before issue 14
}
