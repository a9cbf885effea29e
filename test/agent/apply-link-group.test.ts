/**
 * `link group <mac> <224|0>` and `rule … suppress-ifgroup 224 table main` (docs/agent-protocol.md):
 * ENI links go in group 224 and one rule lets main decide unless its route leaves by an ENI. The agent
 * moves only links in group 0 or 224, and a failed plan puts the group back.
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply of link groups and the suppress_ifgroup rule', () => {
  let host: NamespaceHost;
  let eth1: string;
  let eth2: string;
  let eth3: string;
  const group = (ifname: string): string => /\bgroup (\S+)/.exec(host.run(['ip', '-N', 'link', 'show', 'dev', ifname]))?.[1] ?? '';

  beforeAll(() => {
    host = createNamespaceHost({ enis: 3, tag: 0x3b });
    [eth1, eth2, eth3] = host.macs as [string, string, string];
    host.run(['ip', 'link', 'set', 'eth3', 'down']);
  });
  afterAll(() => host?.destroy());

  it('puts the ENIs in group 224 and adds the rule for both families', async () => {
    const plan = planOf(`link group ${eth1} 224`, `link group ${eth2} 224`, 'rule add 4 20010 suppress-ifgroup 224 table main', 'rule add 6 20010 suppress-ifgroup 224 table main');

    const { output } = await applyPlan(host.ns, plan);

    expect(output.result).toMatchObject({ status: 'applied', operations: 4 });
    expect([group('eth1'), group('eth2'), group('eth3')]).toEqual(['224', '224', '0']);
    expect(host.run(['ip', '-4', 'rule', 'show'])).toContain('20010:\tfrom all lookup main suppress_ifgroup 224 proto 224');
    expect(host.run(['ip', '-6', 'rule', 'show'])).toContain('20010:\tfrom all lookup main suppress_ifgroup 224 proto 224');
    const again = await applyPlan(host.ns, plan);
    expect(again.output.result).toMatchObject({ status: 'unchanged', operations: 0 });
  });

  it('puts the group back when a later line fails', async () => {
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planOf(`link group ${eth3} 224`, `route replace 4 20003 default via 10.0.3.1 dev ${eth3}`));

    expect(run.ResponseCode).toBe(5);
    expect(output.result.status).toBe('rolled-back');
    expect(group('eth3')).toBe('0');
    expect(host.dump()).toBe(before);
  });

  it('refuses to move a link another tool put in its own group', async () => {
    host.run(['ip', 'link', 'set', 'eth3', 'group', '7']);
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planOf(`link group ${eth3} 224`));

    expect(run.ResponseCode).toBe(3);
    expect(output.result.error).toBe('line 2: eth3 is in group 7, not 0 or 224');
    expect(host.dump()).toBe(before);
  });

  it('deletes the rules and returns the links to group 0', async () => {
    const { output } = await applyPlan(
      host.ns,
      planOf('rule del 4 20010 suppress-ifgroup 224 table main', 'rule del 6 20010 suppress-ifgroup 224 table main', `link group ${eth1} 0`, `link group ${eth2} 0`),
    );

    expect(output.result).toMatchObject({ status: 'applied', operations: 4 });
    expect([group('eth1'), group('eth2')]).toEqual(['0', '0']);
    expect(host.run(['ip', '-4', 'rule', 'show'])).not.toContain('20010:');
  });
});
