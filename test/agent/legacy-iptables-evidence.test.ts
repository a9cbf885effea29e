/**
 * nft lists only nf_tables. Where legacy iptables tables hold rules too (Docker or kube-proxy on an
 * iptables-legacy host that also has nft installed: Ubuntu 20.04 with nftables added, Debian with the
 * alternative switched), the agent must still report their mark and NAT lines: the planner leaves
 * marking alone where its mask overlaps mark bits other software uses, and turns connmark on for
 * masquerade/DNAT, from exactly these lines; hidden, it would plan connmark over another program's marks.
 * (-w: the matrix runs tests side by side, and legacy iptables takes the host-wide xtables lock)
 *
 *   host ns: eth1; legacy mangle: -j MARK --set-xmark 0x4000/0x4000; legacy nat: MASQUERADE, DNAT
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { inspectHost } from './run-agent';

type Firewall = { backend: string; markLines: string[]; natLines: string[] };

describeAsRoot('agent inspect reports legacy iptables rules next to the nft ruleset', () => {
  let host: NamespaceHost;
  let hasLegacy = false;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3b });
    hasLegacy = host.run(['sh', '-c', 'command -v iptables-legacy || true']).trim() !== '';
    if (!hasLegacy) return;
    host.run(['iptables-legacy', '-w', '5', '-t', 'mangle', '-A', 'PREROUTING', '-i', 'eth1', '-j', 'MARK', '--set-xmark', '0x4000/0x4000']);
    host.run(['iptables-legacy', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', '-s', '172.17.0.0/16', '!', '-o', 'docker0', '-j', 'MASQUERADE']);
    host.run(['iptables-legacy', '-w', '5', '-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '172.17.0.2:80']);
  });
  afterAll(() => host?.destroy());

  it('carries the legacy mark and NAT lines whichever backend it writes with', async () => {
    if (!hasLegacy) return; // a userland without iptables-legacy cannot hold legacy rules to hide
    const firewall = (await inspectHost(host.ns)).firewall as Firewall;

    expect(firewall.markLines).toContainEqual(expect.stringMatching(/-A PREROUTING -i eth1 -j MARK --set-xmark 0x4000\/0x4000/));
    expect(firewall.natLines).toContainEqual(expect.stringMatching(/-A POSTROUTING -s 172\.17\.0\.0\/16 ! -o docker0 -j MASQUERADE/));
    expect(firewall.natLines).toContainEqual(expect.stringMatching(/--dport 8080 -j DNAT --to-destination 172\.17\.0\.2:80/));
  });
});
