import type { PlanOptions } from './model/plan-options';

/** Routes and rules eni-pbr writes carry this protocol number (unused in /etc/iproute2/rt_protos). */
export const OWN_PROTOCOL = 224;

/**
 * eni-pbr puts every ENI's link in this interface group so that one rule, `lookup main
 * suppress_ifgroup 224`, ahead of its bands lets main decide for everything main does NOT send out of an
 * ENI (a Docker bridge, a VPN tunnel, lo): without it the host's replies from a secondary IP to its own
 * containers followed the ENI table's default route to the VPC router.
 */
export const OWN_LINK_GROUP = 224;

/** IPv4 label suffix that says "eni-pbr added this address" (`<ifname>:ep`, when it fits a label). */
export const OWN_LABEL_SUFFIX = ':ep';

/** IFNAMSIZ - 1: the longest interface name, and address label, the kernel takes. */
export const IFNAME_MAX_CHARS = 15;

/** The windows the agent accepts; configured ranges must lie inside them (docs/agent-protocol.md). */
export const AGENT_TABLE_WINDOW = { min: 20000, max: 29999 } as const;
export const AGENT_PRIORITY_WINDOW = { min: 20000, max: 29999 } as const;

/**
 * Mark bits other software is known to use, so the default mask avoids them: kube-proxy 0x4000/0x8000,
 * the VPC CNI 0x80, Cilium 0x0f00, Calico 0xffff0000, Tailscale 0xff0000.
 */
export const WELL_KNOWN_MARK_BITS = 0x4000 | 0x8000 | 0x80 | 0x0f00 | 0xffff0000 | 0xff0000;

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  tableRange: { min: 20000, max: 20999 },
  priorityRange: { min: 20000, max: 22999 },
  managePrimary: false,
  connmark: 'auto',
  // 7 bits: mark = 1 + 16·card + device fits cards 0–6 with 16 devices each, clear of WELL_KNOWN_MARK_BITS.
  markMask: 0x7f,
  overrideForeign: false,
  addMissingAddresses: true,
};
