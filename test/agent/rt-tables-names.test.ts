/**
 * A host whose /etc/iproute2/rt_tables names eni-pbr's tables (an admin's "20002 eni2"): `ip rule`
 * then prints "lookup eni2" and `ip route` "table eni2". The agent compares numeric listings (ip -N),
 * so a second apply still recognises every rule and route as its own.
 *
 * The names reach only this namespace: `ip netns exec <ns>` bind-mounts /etc/netns/<ns>/iproute2 over
 * /etc/iproute2 for the commands it runs (iproute2's per-namespace configuration), and the directory
 * is removed afterwards.
 */
import { cpSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply where rt_tables names the tables it owns', () => {
  let host: NamespaceHost;
  let confDir: string;
  let plan: string;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x39 });
    confDir = join('/etc/netns', host.ns);
    mkdirSync(join(confDir, 'iproute2'), { recursive: true });
    cpSync('/etc/iproute2', join(confDir, 'iproute2'), { recursive: true });
    writeFileSync(join(confDir, 'iproute2', 'rt_tables'), '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n20002\teni2\n');
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    const [, eth2] = host.macs as [string, string];
    plan = planOf(
      `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
      `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
      'rule add 4 20100 from 10.0.2.10/32 table 20002',
      'rule add 4 20200 from 10.0.2.0/24 iif lo table 20002',
      'rule add 4 20300 fwmark 0x2/0x7f table 20002',
      `rule add 4 20400 iif ${eth2} table main`,
    );
  });
  afterAll(() => {
    host?.destroy();
    if (confDir) rmSync(confDir, { recursive: true, force: true });
    try {
      rmdirSync('/etc/netns'); // only when empty: another namespace may use it
    } catch {
      // not empty, or already gone
    }
  });

  it('sees the names where ip prints them', async () => {
    await applyPlan(host.ns, plan);

    expect(host.run(['ip', '-4', 'rule', 'show'])).toContain('20100:\tfrom 10.0.2.10 lookup eni2 proto 224');
  });

  it('recognises its named rules and routes on the second apply', async () => {
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, plan);

    expect(run.Status).toBe('Success');
    expect(output.result).toMatchObject({ status: 'unchanged', operations: 0 });
    expect(host.dump()).toBe(before);
  });

  it('deletes a named rule and route it owns', async () => {
    const { output } = await applyPlan(host.ns, planOf('rule del 4 20100 from 10.0.2.10/32 table 20002', 'route del 4 20002 default'));

    expect(output.result).toMatchObject({ status: 'applied', operations: 2 });
    expect(host.run(['ip', '-4', 'rule', 'show'])).not.toContain('20100:');
    expect(host.run(['ip', '-4', 'route', 'show', 'table', '20002'])).not.toContain('default');
  });
});
