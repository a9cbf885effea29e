/**
 * Applying a plan twice changes nothing the second time, also for the forms ip prints otherwise than
 * they were written: a full fwmark mask is not printed ("fwmark 0x1"). It once made the second apply
 * roll back (as /0 sources and routes did, which no plan may hold any more).
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
    // /0 sources and routes ("from all", "default") are refused since issue 14 (docs/agent-protocol.md, Meaning)
    ['a full fwmark mask', 'rule add 4 20300 fwmark 0x1/0xffffffff table 20002'],
    ['a subnet via a router (the primary’s table)', 'route replace 4 20004 10.0.3.0/24 via 10.0.1.1 dev MAC'],
    ['an IPv6 subnet via a router', 'route replace 6 20004 2001:db8:3::/64 via fe80::1 dev MAC'],
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
