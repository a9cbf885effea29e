import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply restores its snapshot when an operation fails mid-plan', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 3, tag: 0x34 });
    // eth3 is administratively down: its MAC resolves, yet the kernel refuses an onlink gateway on it.
    host.run(['ip', 'link', 'set', 'eth3', 'down']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
  });
  afterAll(() => host?.destroy());

  it('starts from a state that holds pieces of its own', async () => {
    const [eth1, eth2] = host.macs as [string, string, string];
    const { output } = await applyPlan(
      host.ns,
      planOf(
        `addr add ${eth2} 10.0.2.11/24`,
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20101 from 10.0.2.11/32 table 20002',
        `connmark 0x7f ${eth1}=0x1`,
      ),
    );
    expect(output.result.status).toBe('applied');
  });

  it('leaves the namespace byte-equal to its snapshot when a gateway sits on a device that is down', async () => {
    const [eth1, eth2, eth3] = host.macs as [string, string, string];
    const before = host.dump();

    const { run, output } = await applyPlan(
      host.ns,
      planOf(
        `addr add ${eth2} 10.0.2.12/24`,
        `addr del ${eth2} 10.0.2.11/24`,
        `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
        `route replace 4 20002 default via 10.0.2.17 dev ${eth2}`, // another router than 10.0.2.1 (base + 1 of 10.0.2.16/28)
        'rule add 4 20102 from 10.0.2.12/32 table 20002',
        'rule del 4 20101 from 10.0.2.11/32 table 20002',
        `route replace 4 20003 default via 10.0.3.1 dev ${eth3}`,
        'rule add 4 20103 from 10.0.3.0/24 iif lo table 20003',
        'sysctl net.ipv4.conf.all.src_valid_mark 1',
        `connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`,
      ),
    );

    expect(run.ResponseCode).toBe(5);
    expect(output.result.status).toBe('rolled-back');
    expect(output.result.error).toContain('Nexthop device is not up');
    expect(output.result.after).toBe(output.result.before);
    expect(host.dump()).toBe(before);
  });

  it('rolls back addresses it made primary: deleting the primary takes its secondaries along', async () => {
    const [eth1, , eth3] = host.macs as [string, string, string];
    const before = host.dump();

    const { run, output } = await applyPlan(
      host.ns,
      planOf(
        `addr add ${eth1} 10.0.5.10/24`,
        `addr add ${eth1} 10.0.5.11/24`,
        `addr add ${eth1} 10.0.5.12/24`,
        `route replace 4 20003 default via 10.0.3.1 dev ${eth3}`,
      ),
    );

    expect(run.ResponseCode).toBe(5);
    expect(output.result.status).toBe('rolled-back');
    expect(host.dump()).toBe(before);
  });

  it('serialises two concurrent applies in one namespace', async () => {
    const [, eth2] = host.macs as [string, string, string];
    const plan = planOf(...Array.from({ length: 40 }, (_, i) => `addr add ${eth2} 10.0.2.${100 + i}/24`));

    const [first, second] = await Promise.all([applyPlan(host.ns, plan), applyPlan(host.ns, plan)]);

    // Interleaved, both would add some addresses, or one would fail on an address the other added.
    const statuses = [first.output.result.status, second.output.result.status].sort();
    expect(statuses).toEqual(['applied', 'unchanged']);
    expect(first.output.result.operations + second.output.result.operations).toBe(40);
    expect([first.run.Status, second.run.Status]).toEqual(['Success', 'Success']);
  });
});
