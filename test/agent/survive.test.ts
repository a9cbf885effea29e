import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { main } from '../../functions/cli/main';
import { applyPlan, planOf } from './run-agent';
import { shippedAgentPath } from './shipped-agent';

// Remove, persistence and the boot path (issue 12), on the agent the document ships, with ENI_PBR_ROOT
// pointing at a temporary directory: nothing is written into the machine's /etc or /var.
describeAsRoot('agent remove and the boot path', () => {
  let host: NamespaceHost;
  let root: string;
  const agent = (mode: string, plan = ''): { code: number | null; result: { status: string; operations: number }; mode: string; stderr: string } => {
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', `ENI_PBR_ROOT=${root}`, `SSM_Plan=${plan}`, 'bash', shippedAgentPath(), mode], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const parsed = run.stdout ? (JSON.parse(run.stdout) as { result: { status: string; operations: number }; mode: string }) : { result: { status: '', operations: 0 }, mode: '' };
    return { code: run.status, ...parsed, stderr: run.stderr };
  };
  const dump = (): string => `${host.dump()}${host.run(['ip', '-o', 'link', 'show']).replace(/ state \S+/g, '')}`;
  let pristine = '';
  let plan = '';
  let planText = '';

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x5c });
    root = mkdtempSync(join(tmpdir(), 'eni-pbr-root-'));
    // a networkd host, as the agent tells one: its binary is installed
    mkdirSync(join(root, 'lib/systemd'), { recursive: true });
    writeFileSync(join(root, 'lib/systemd/systemd-networkd'), '', { mode: 0o755 });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    // foreign state in eni-pbr's windows, and a foreign route: remove must leave them
    host.run(['ip', 'rule', 'add', 'pref', '20500', 'from', '10.9.9.9', 'lookup', '20001']);
    host.run(['ip', 'route', 'add', '10.8.0.0/16', 'via', '10.0.1.1', 'table', '20001']);
    const [, eth2] = host.macs as [string, string];
    planText = planOf(
        `link group ${eth2} 224`,
        `addr add ${eth2} 10.0.2.11/24`,
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20101 from 10.0.2.11/32 table 20002',
        'sysctl net.ipv4.conf.all.src_valid_mark 1',
        `connmark 0x7f ${eth2}=0x1`,
    );
    plan = encodePlanParameter(planText);
    pristine = dump();
  });
  afterAll(() => {
    host?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('is a no-op on a host eni-pbr never touched', () => {
    const run = agent('remove');
    expect([run.code, run.mode, run.result.status]).toEqual([0, 'remove', 'unchanged']);
    expect(dump()).toBe(pristine);
  });

  it('records the plan and installs the boot unit after an apply', () => {
    expect(agent('apply', plan).result.status).toBe('applied');
    const recorded = readFileSync(join(root, 'var/lib/eni-pbr/plan'), 'utf8').trim();
    expect(gunzipSync(Buffer.from(recorded, 'base64')).toString('utf8')).toBe(planText);
    expect(readFileSync(join(root, 'var/lib/eni-pbr/src_valid_mark.before'), 'utf8').trim()).toBe('0');
    const unit = readFileSync(join(root, 'etc/systemd/system/eni-pbr-restore.service'), 'utf8');
    expect(unit).toContain('After=network-online.target');
    expect(unit).toContain('ExecStart=/bin/bash /var/lib/eni-pbr/eni-pbr-agent.sh boot');
    expect(existsSync(join(root, 'var/lib/eni-pbr/eni-pbr-agent.sh'))).toBe(true);
    expect(existsSync(join(root, 'etc/systemd/system/multi-user.target.wants/eni-pbr-restore.service'))).toBe(true);
    expect(readFileSync(join(root, 'etc/systemd/networkd.conf.d/eni-pbr.conf'), 'utf8')).toContain(
      '[Network]\nManageForeignRoutingPolicyRules=no\nManageForeignRoutes=no\n',
    );
  });

  it('installs a unit systemd-analyze verify accepts', () => {
    // scripts/ci/ensure-deps.sh installs systemd-analyze: its absence fails here rather than passing unchecked
    const verify = spawnSync('systemd-analyze', ['verify', join(root, 'etc/systemd/system/eni-pbr-restore.service')], { encoding: 'utf8', timeout: 60_000 });
    expect(verify.error).toBeUndefined();
    expect([verify.status, verify.stderr]).toEqual([0, '']);
  });

  it('restores the applied state after a "reboot" (everything eni-pbr added flushed)', () => {
    const applied = dump();
    host.run(['sh', '-c', 'ip rule del pref 20101; ip route flush table 20002; ip addr del 10.0.2.11/24 dev eth2; ip link set eth2 group 0; nft delete table inet eni_pbr; sysctl -qw net.ipv4.conf.all.src_valid_mark=0']);
    expect(dump()).not.toBe(applied);
    expect(agent('boot').result.status).toBe('applied');
    expect(dump()).toBe(applied);
    expect(agent('boot').result.status).toBe('unchanged');
  });

  it('restores the rules a networkd-style restart deleted (foreign rules wiped)', () => {
    const applied = dump();
    host.run(['sh', '-c', 'ip rule del pref 20101; ip route flush table 20002']);
    expect(agent('boot').result.status).toBe('applied');
    expect(dump()).toBe(applied);
  });

  it('refuses the recorded plan, changing nothing, when its MACs are gone', () => {
    host.run(['ip', 'link', 'set', 'eth2', 'address', '02:00:00:00:5c:99']);
    try {
      host.run(['ip', 'rule', 'del', 'pref', '20101']);
      const before = dump();
      const run = agent('boot');
      expect([run.code, run.result.status]).toEqual([3, 'refused']);
      expect(dump()).toBe(before);
    } finally {
      host.run(['ip', 'link', 'set', 'eth2', 'address', (host.macs as [string, string])[1]]);
    }
  });

  it('removes everything eni-pbr installed: the namespace is byte-equal to its pre-eni-pbr dump', () => {
    const run = agent('remove');
    expect([run.code, run.mode, run.result.status]).toEqual([0, 'remove', 'removed']);
    expect(dump()).toBe(pristine);
    expect(existsSync(join(root, 'var/lib/eni-pbr'))).toBe(false);
    expect(existsSync(join(root, 'etc/systemd/system/eni-pbr-restore.service'))).toBe(false);
    expect(existsSync(join(root, 'etc/systemd/networkd.conf.d/eni-pbr.conf'))).toBe(false);
    expect(agent('remove').result.status).toBe('unchanged');
  });
});

describeAsRoot('eni-pbr remove --netns (the CLI, through the SSM document run locally)', () => {
  let host: NamespaceHost;
  afterAll(() => host?.destroy());

  it('undoes an apply: byte-equal to the dump before it; no state written outside the namespace test', async () => {
    host = createNamespaceHost({ enis: 2, tag: 0x5d });
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    const pristine = host.dump();
    const [eth1, eth2] = host.macs as [string, string];
    const hadState = existsSync('/var/lib/eni-pbr/plan');
    const { output } = await applyPlan(
      host.ns,
      planOf(`addr add ${eth2} 10.0.2.11/24`, `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, 'rule add 4 20101 from 10.0.2.11/32 table 20002', `connmark 0x7f ${eth1}=0x1`),
    );
    expect(output.result.status).toBe('applied');
    // a lab namespace is not the host: without ENI_PBR_ROOT the agent persists nothing
    expect(existsSync('/var/lib/eni-pbr/plan')).toBe(hadState);
    const out: string[] = [];
    const code = await main(['remove', '--netns', host.ns, '--json'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(code).toBe(0);
    expect(JSON.parse(out.join('')) as unknown).toMatchObject({ status: 'removed' });
    expect(host.dump()).toBe(pristine);
  });
});

describeAsRoot('agent apply never locks the instance out (a hostile plan)', () => {
  let host: NamespaceHost;
  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x5e });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1']);
  });
  afterAll(() => host?.destroy());

  it.each([
    ['the primary address', '10.0.1.10/32'],
  ])('refuses a rule steering %s into a table whose default leaves by another ENI', async (_what, source) => {
    const [, eth2] = host.macs as [string, string];
    const before = host.dump();
    const { run, output } = await applyPlan(host.ns, planOf(`route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, `rule add 4 20100 from ${source} table 20002`));
    expect([run.ResponseCode, output.result.status]).toEqual([11, 'refused']);
    expect(output.result.error).toMatch(/^line 3: would lock the instance out: traffic from the primary address 10\.0\.1\.10 \(eth1\)/);
    expect(host.dump()).toBe(before);
  });

  it('leaves wider sources to the plan grammar, which refuses them (exit 3)', async () => {
    const [, eth2] = host.macs as [string, string];
    const before = host.dump();
    const { run, output } = await applyPlan(host.ns, planOf(`route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, 'rule add 4 20100 from 0.0.0.0/0 table 20002'));
    expect([run.ResponseCode, output.result.status]).toEqual([3, 'refused']);
    expect(host.dump()).toBe(before);
  });

  it("accepts the same table for a secondary ENI's address, and the primary's own router for the primary", async () => {
    const [eth1, eth2] = host.macs as [string, string];
    const { output } = await applyPlan(
      host.ns,
      planOf(
        `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`,
        'rule add 4 20100 from 10.0.2.10/32 table 20002',
        `route replace 4 20001 default via 10.0.1.1 dev ${eth1}`,
        'rule add 4 20101 from 10.0.1.10/32 table 20001',
      ),
    );
    expect(output.result.status).toBe('applied');
  });
});
