/**
 * Applying a plan twice changes nothing the second time, also for the forms ip prints otherwise than
 * they were written: a full fwmark mask is not printed ("fwmark 0x1"), a /0 rule source is "from all"
 * and a /0 route is "default", a /32 route to a subnet via a router is printed bare. Each once made (or
 * could make) the second apply roll back.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3c:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply of the same plan twice', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3c });
  });
  afterAll(() => host?.destroy());

  it.each([
    ['a full fwmark mask', 'rule add 4 20300 fwmark 0x1/0xffffffff table 20002'],
    ['an IPv4 /0 source', 'rule add 4 20301 from 0.0.0.0/0 table 20002'],
    ['an IPv4 /0 source from lo', 'rule add 4 20302 from 0.0.0.0/0 iif lo table 20002'],
    ['an IPv6 /0 source', 'rule add 6 20303 from ::/0 table 20002'],
    ['an IPv4 /0 route', 'route replace 4 20003 0.0.0.0/0 dev MAC'],
    ['an IPv6 /0 route', 'route replace 6 20003 ::/0 dev MAC'],
    ['a subnet via a router (the primary’s table)', 'route replace 4 20004 10.0.3.0/24 via 10.0.1.1 dev MAC'],
    ['an IPv6 subnet via a router', 'route replace 6 20004 2001:db8:3::/64 via fe80::1 dev MAC'],
    ['a host route via a router', 'route replace 4 20004 10.0.9.9/32 via 10.0.1.1 dev MAC'],
  ])('is unchanged the second time for %s', async (_form, line) => {
    const plan = planOf(line.replace('MAC', host.macs[0] ?? ''));

    const first = await applyPlan(host.ns, plan);
    const dump = host.dump();
    const second = await applyPlan(host.ns, plan);

    expect(first.output.result.status).toBe('applied');
    expect(second.output.result).toMatchObject({ status: 'unchanged', operations: 0 });
    expect(host.dump()).toBe(dump);
  });

  it('deletes the full-mask fwmark rule it added', async () => {
    const { output } = await applyPlan(host.ns, planOf('rule del 4 20300 fwmark 0x1/0xffffffff table 20002'));

    expect(output.result).toMatchObject({ status: 'applied', operations: 1 });
    expect(host.run(['ip', 'rule'])).not.toContain('20300:');
  });
});
