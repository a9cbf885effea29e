/**
 * The marking set does what it is for: a connection that arrives on eth2 from a client outside eth2's
 * subnet is answered through eth2, not through the main table's default route on eth1.
 *
 *   host ns                                         peer ns (rp_filter strict on p1)
 *   eth1 10.0.1.10/24 (main default via 10.0.1.1) ── p1 10.0.1.1/24
 *   eth2 10.0.2.10/24                              ── p2 10.0.2.1/24, client 192.0.2.7/32
 *
 * Without connmark the reply leaves through eth1 and the peer's strict reverse-path check drops it.
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';
import { addTwoSubnetClient, clientPings } from './two-subnet-client';

describeAsRoot('connmark marks replies back through the ENI a connection arrived on', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x32 });
    addTwoSubnetClient(host);
  });
  afterAll(() => host?.destroy());

  it('drops the reply without eni-pbr (the main table answers through eth1)', () => {
    expect(clientPings(host)).toBe(false);
  });

  it('answers through eth2 once the marking set, the fwmark rule and table 20002 are applied', async () => {
    const [eth1, eth2] = host.macs as [string, string];
    const { output } = await applyPlan(
      host.ns,
      planOf(
        `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20300 fwmark 0x2/0x7f table 20002',
        `connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`,
      ),
    );
    expect(output.result.status).toBe('applied');

    expect(clientPings(host)).toBe(true);
    const conntrack = host.run(['conntrack', '-L', '-p', 'icmp']);
    expect(conntrack).toMatch(/src=192\.0\.2\.7 .* mark=2 /);
  });
});
