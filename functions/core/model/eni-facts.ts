/** One attached ENI as EC2 reports it, validated and reduced to what routing needs. */
export interface EniFacts {
  readonly eniId: string;
  readonly macAddress: string; // lower case, aa:bb:cc:dd:ee:ff
  readonly deviceIndex: number;
  readonly networkCardIndex: number;
  readonly interfaceType: string; // 'interface' for the ENIs eni-pbr routes
  readonly subnetId: string;
  readonly vpcId: string;
  readonly subnetCidr: string; // the ENI's own subnet, e.g. 10.0.3.0/24
  readonly gateway: string; // subnet base + 1: the VPC router answers there
  readonly primaryIpv4: string;
  readonly secondaryIpv4: readonly string[];
  readonly ipv4Prefixes: readonly string[]; // delegated prefixes, e.g. 10.0.3.64/28
  readonly ipv6Addresses: readonly string[];
  readonly sourceDestCheck: boolean;
}

export type ExclusionReason = 'not-attached' | 'efa-only' | 'trunk' | 'branch' | 'unsupported-type' | 'ipv6-only';

export interface ExcludedEni {
  readonly eniId: string;
  readonly reason: ExclusionReason;
  readonly detail: string;
}

export interface InstanceFacts {
  readonly instanceId: string;
  readonly enis: readonly EniFacts[];
  readonly excluded: readonly ExcludedEni[];
}
