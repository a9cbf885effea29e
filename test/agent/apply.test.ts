import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply on a 2-ENI namespace', () => {
  let host: NamespaceHost;
  let plan: string;
  let appliedAfter = '';

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x31 });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    const [eth1, eth2] = host.macs as [string, string];
    plan = planOf(
      `addr add ${eth2} 10.0.2.11/24`,
      `route replace 4 20002 10.0.2.0/24 dev ${eth2}`,
      `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
      'rule add 4 20100 from 10.0.2.10/32 table 20002',
      'rule add 4 20101 from 10.0.2.11/32 table 20002',
      'rule add 4 20200 from 10.0.2.0/24 iif lo table 20002',
      'rule add 4 20300 fwmark 0x2/0x7f table 20002',
      `rule add 4 20400 iif ${eth2} table main`,
      'sysctl net.ipv4.conf.all.src_valid_mark 1',
      `connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`,
    );
  });
  afterAll(() => host?.destroy());

  it('applies every operation and reports both digests', async () => {
    const { run, output } = await applyPlan(host.ns, plan);

    expect(run.Status).toBe('Success');
    expect(output.result).toMatchObject({ status: 'applied', operations: 10, error: null });
    expect(output.result.after).not.toBe(output.result.before);
    expect(output.after).toMatchObject({ schemaVersion: 1 });
    appliedAfter = output.result.after;
  });

  it('leaves exactly the expected rules', () => {
    expect(host.run(['ip', '-4', 'rule', 'show'])).toBe(
      [
        '0:\tfrom all lookup local',
        '20100:\tfrom 10.0.2.10 lookup 20002 proto 224',
        '20101:\tfrom 10.0.2.11 lookup 20002 proto 224',
        '20200:\tfrom 10.0.2.0/24 iif lo lookup 20002 proto 224',
        '20300:\tfrom all fwmark 0x2/0x7f lookup 20002 proto 224',
        '20400:\tfrom all iif eth2 lookup main proto 224',
        '32766:\tfrom all lookup main',
        '32767:\tfrom all lookup default',
        '',
      ].join('\n'),
    );
  });

  it('leaves exactly the expected routes and the labelled address', () => {
    expect(host.run(['ip', '-4', 'route', 'show', 'table', '20002'])).toBe(
      'default via 10.0.2.1 dev eth2 proto 224 onlink \n10.0.2.0/24 dev eth2 proto 224 scope link \n',
    );
    expect(host.run(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth2'])).toContain('inet 10.0.2.11/24 scope global secondary eth2:ep');
    expect(host.run(['cat', '/proc/sys/net/ipv4/conf/all/src_valid_mark']).trim()).toBe('1');
  });

  it('replaces table inet eni_pbr with the marking set', () => {
    const table = host.run(['nft', 'list', 'table', 'inet', 'eni_pbr']);
    expect(table).toContain('iifname "eth1" ct state new ct mark set ct mark & 0xffffff81 | 0x00000001 comment "eni-pbr in 02:00:00:00:31:01 0x1/0x7f"');
    expect(table).toContain('iifname "eth2" ct state new ct mark set ct mark & 0xffffff82 | 0x00000002');
    expect(table.match(/ct mark & 0x0000007f == 0x00000002 meta mark set meta mark & 0xffffff82 \| 0x00000002/g)).toHaveLength(2);
    expect(table).toContain('type route hook output priority mangle; policy accept;');
  });

  it('changes nothing when the same plan is applied again', async () => {
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, plan);

    expect(run.Status).toBe('Success');
    expect(output.result).toMatchObject({ status: 'unchanged', operations: 0 });
    expect(output.result.after).toBe(output.result.before);
    expect(output.result.before).toBe(appliedAfter); // the after digest is the state read again, not a promise
    expect(host.dump()).toBe(before);
  });

  it('applies the same way through the fallback for SSM Agents older than 3.3.2746.0', async () => {
    const { run, output } = await applyPlan(host.ns, plan, 'legacy');

    expect(run.Status).toBe('Success');
    expect(output.result.status).toBe('unchanged');
  });

  it('removes only what the plan deletes, and only its own pieces', async () => {
    const [, eth2] = host.macs as [string, string];
    const { output } = await applyPlan(
      host.ns,
      planOf(`addr del ${eth2} 10.0.2.11/24`, 'rule del 4 20101 from 10.0.2.11/32 table 20002', 'route del 4 20002 default', 'connmark 0x7f'),
    );

    expect(output.result).toMatchObject({ status: 'applied', operations: 4 });
    expect(host.run(['ip', '-4', 'rule', 'show'])).not.toContain('10.0.2.11');
    expect(host.run(['ip', '-4', 'route', 'show', 'table', '20002'])).toBe('10.0.2.0/24 dev eth2 proto 224 scope link \n');
    expect(host.run(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth2'])).not.toContain('10.0.2.11');
    expect(host.run(['nft', 'list', 'tables'])).not.toContain('eni_pbr');
  });

  it('refuses to delete an address eni-pbr did not label', async () => {
    const [, eth2] = host.macs as [string, string];
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planOf(`addr del ${eth2} 10.0.2.10/24`));

    expect(run.ResponseCode).toBe(3);
    expect(output.result.status).toBe('refused');
    expect(output.result.error).toContain('not labelled');
    expect(host.dump()).toBe(before);
  });
});
