/**
 * The iptables marking set does what the nft one does (connmark-traffic.test.ts): a connection that
 * arrives on eth2 from a client outside eth2's subnet is answered through eth2. The agent runs with a
 * PATH that lacks nft, so it writes iptables-nft's mangle chains (Debian's iptables is the nft-backed
 * variant; Amazon Linux 2's legacy iptables reads the same restore file).
 *
 *   host ns                                         peer ns (rp_filter strict on p1)
 *   eth1 10.0.1.10/24 (main default via 10.0.1.1) ── p1 10.0.1.1/24
 *   eth2 10.0.2.10/24                              ── p2 10.0.2.1/24, client 192.0.2.7/32
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';
import { applyWithPath } from './run-agent-script';
import { pathWithout, type PathWithout } from './without-nft';
import { addTwoSubnetClient, clientPings } from './two-subnet-client';

describeAsRoot('connmark through iptables marks replies back through the ENI a connection arrived on', () => {
  let host: NamespaceHost;
  let noNft: PathWithout;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x38 });
    noNft = pathWithout(['nft']);
    addTwoSubnetClient(host);
  });
  afterAll(() => {
    host?.destroy();
    noNft?.remove();
  });

  it('drops the reply without eni-pbr (the main table answers through eth1)', () => {
    expect(clientPings(host)).toBe(false);
  });

  it('answers through eth2 once the iptables marking set, the fwmark rule and table 20002 are applied', () => {
    const [eth1, eth2] = host.macs as [string, string];
    const { output } = applyWithPath(
      host.ns,
      noNft.path,
      planOf(
        `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20300 fwmark 0x2/0x7f table 20002',
        `connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`,
      ),
    );
    expect(output.result.status).toBe('applied');
    expect(output.after).toMatchObject({ firewall: { backend: 'iptables', ownTable: null } });

    expect(clientPings(host)).toBe(true);
    expect(host.run(['conntrack', '-L', '-p', 'icmp'])).toMatch(/src=192\.0\.2\.7 .* mark=2 /);
    // (a userland of the compatibility matrix may lack nft altogether: then it lists nothing)
    expect(host.run(['sh', '-c', 'if command -v nft >/dev/null; then nft list tables; fi'])).not.toContain('eni_pbr');
  });
});
