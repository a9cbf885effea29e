import type { EniFacts } from '../model/eni-facts';
import type { Finding } from '../model/finding';
import type { ObservedHost } from '../model/observed-host';
import { isUsableIfname } from '../validation/kernel-names';

/**
 * Interfaces are found by MAC, never by name (names differ by distro and driver: eth1, ens6, enX1).
 * A bridge takes its first port's MAC, and a bond its slaves': neither a bridge nor a link enslaved to
 * another (bridge port, bond slave) is where the ENI's addresses live, so both are passed over — a bond
 * itself still resolves. The agent resolves MACs by the same rule.
 */
export function resolveInterface(eni: EniFacts, observed: ObservedHost): { ifname: string } | { finding: Finding } {
  const links = observed.links.filter((link) => link.mac === eni.macAddress && !link.isBridge && link.master === undefined);
  const only = links[0];
  if (links.length === 1 && only !== undefined && isUsableIfname(only.ifname)) return { ifname: only.ifname };
  const detail =
    links.length === 0 ? 'no link carries this MAC'
    : links.length > 1 ? `several links carry this MAC: ${links.map((link) => link.ifname).join(', ')}`
    : `its link is named ${JSON.stringify(only?.ifname)}, a name the agent refuses to act on (docs/agent-protocol.md)`;
  return { finding: { kind: 'interface-not-found', eniId: eni.eniId, subject: `MAC ${eni.macAddress}`, detail } };
}

/** The router the kernel learned from router advertisements on the interface (`default via fe80::… dev <if>`). */
export function learnedRouter6(observed: ObservedHost, ifname: string): string | undefined {
  const routes = observed.routes.filter(
    (route) => route.family === 6 && route.table === 'main' && route.dst === 'default' && route.dev === ifname && route.gateway !== undefined,
  );
  return (routes.find((route) => route.protocol === 'ra') ?? routes[0])?.gateway;
}
