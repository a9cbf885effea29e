import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

/**
 * The IPv4 rules run in their own `ip -batch`, alongside the one for addresses and routes. A line
 * failing in the rule batch (here the same rule twice: the kernel answers "File exists") fails the
 * whole apply like any other, and the addresses, routes, sysctl and nft table the other batches
 * applied meanwhile are rolled back with it.
 */
describeAsRoot('agent apply with a failing line in the IPv4 rule batch', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x41 });
  });
  afterAll(() => host?.destroy());

  it('leaves the namespace byte-equal to its snapshot', async () => {
    const [eth1, eth2] = host.macs as [string, string];
    const before = host.dump();

    const { run, output } = await applyPlan(
      host.ns,
      planOf(
        `addr add ${eth2} 10.0.2.20/24`,
        `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20201 from 10.0.2.20/32 table 20002',
        'rule add 4 20202 from 10.0.2.21/32 table 20002',
        'rule add 4 20201 from 10.0.2.20/32 table 20002',
        'sysctl net.ipv4.conf.all.src_valid_mark 1',
        `connmark 0x7f ${eth1}=0x1`,
      ),
    );

    expect(run.ResponseCode).toBe(5);
    expect(output.result.status).toBe('rolled-back');
    expect(output.result.error).toContain('ip -4 -batch');
    expect(output.result.error).toContain('File exists');
    expect(output.result.after).toBe(output.result.before);
    expect(host.dump()).toBe(before);
  });

  it('applies rules and addresses together when every line holds', async () => {
    const [, eth2] = host.macs as [string, string];
    const plan = planOf(
      `addr add ${eth2} 10.0.2.20/24`,
      `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
      'rule add 4 20201 from 10.0.2.20/32 table 20002',
      'rule add 4 20202 from 10.0.2.21/32 table 20002',
    );

    const applied = await applyPlan(host.ns, plan);
    expect(applied.output.result.status).toBe('applied');
    expect(applied.output.result.operations).toBe(4);
    expect(host.run(['ip', '-4', 'rule', 'show', 'pref', '20202'])).toContain('from 10.0.2.21 lookup 20002 proto 224');

    const again = await applyPlan(host.ns, plan);
    expect(again.output.result.status).toBe('unchanged');
    expect(again.output.result.before).toBe(applied.output.result.after);
  });
});
