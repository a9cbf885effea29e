import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';
import { shippedAgentPath } from './shipped-agent';

// The network managers' link-up hooks (issue 12): a manager that brings a link (back) up configures
// only its own addresses and routes, and the kernel dropped every route through the link when it went
// down. The hooks re-run the recorded plan. Each hook is run here as its manager runs it — ifupdown's
// through the real run-parts with the environment interfaces(5) documents, NetworkManager's dispatcher
// with its two arguments, networkd-dispatcher's with IFACE — inside a mount namespace where the test's
// root provides /var/lib (the hooks name the paths an instance has): nothing is written to the machine.
const HOOKS = {
  networkManager: 'etc/NetworkManager/dispatcher.d/50-eni-pbr',
  ifupdown: 'etc/network/if-up.d/eni-pbr',
  networkdDispatcher: 'etc/networkd-dispatcher/routable.d/50-eni-pbr',
} as const;
const BINARIES = ['usr/sbin/NetworkManager', 'sbin/ifup', 'usr/bin/networkd-dispatcher'];
const PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';

describeAsRoot('link-up hooks of NetworkManager, ifupdown and networkd-dispatcher', () => {
  let host: NamespaceHost;
  let root: string;
  let plan = '';
  let applied = '';
  const agent = (mode: string): { code: number | null; status: string } => {
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'env', '-i', PATH, `ENI_PBR_ROOT=${root}`, `SSM_Plan=${plan}`, 'bash', shippedAgentPath(), mode], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const status = run.stdout ? (JSON.parse(run.stdout) as { result: { status: string } }).result.status : '';
    return { code: run.status, status };
  };
  /** Runs COMMAND (with ENV) in the namespace, /var/lib being the test root's, as a manager would. */
  const asManager = (env: readonly string[], command: readonly string[]): { code: number | null; stderr: string } => {
    const run = spawnSync(
      'ip',
      ['netns', 'exec', host.ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0/var/lib" /var/lib && exec "$@"', root, 'env', '-i', PATH, 'ENI_PBR_HOOK_FOREGROUND=1', ...env, ...command],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return { code: run.status, stderr: run.stderr };
  };
  // what NetworkManager or ifdown/ifup leave: the link bounced (its routes gone), the address eni-pbr added gone
  const bounce = (): void => {
    host.run(['sh', '-c', 'ip link set eth2 down && ip addr del 10.0.2.11/24 dev eth2 && ip link set eth2 up']);
    expect(host.dump()).not.toBe(applied);
  };

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x5f });
    root = mkdtempSync(join(tmpdir(), 'eni-pbr-hooks-'));
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    const [, eth2] = host.macs as [string, string];
    plan = encodePlanParameter(
      planOf(`addr add ${eth2} 10.0.2.11/24`, `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, 'rule add 4 20101 from 10.0.2.11/32 table 20002'),
    );
  });
  afterAll(() => {
    host?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('installs no hook for a manager that is not installed, and records the MACs of the plan\'s links', () => {
    expect(agent('apply').status).toBe('applied');
    applied = host.dump();
    expect(readFileSync(join(root, 'var/lib/eni-pbr/macs'), 'utf8')).toBe(`${(host.macs as [string, string])[1]}\n`);
    for (const hook of Object.values(HOOKS)) expect(existsSync(join(root, hook))).toBe(false);
  });

  it("installs each installed manager's hook (0755, POSIX sh, shellcheck clean) at the next apply", () => {
    for (const binary of BINARIES) {
      mkdirSync(join(root, binary, '..'), { recursive: true });
      writeFileSync(join(root, binary), '', { mode: 0o755 });
    }
    expect(agent('apply').status).toBe('unchanged');
    for (const hook of Object.values(HOOKS)) {
      const path = join(root, hook);
      expect(statSync(path).mode & 0o777).toBe(0o755);
      expect(spawnSync('sh', ['-n', path]).status).toBe(0);
      // scripts/ci/ensure-deps.sh installs shellcheck: its absence fails here
      const check = spawnSync('shellcheck', ['-s', 'sh', path], { encoding: 'utf8', timeout: 60_000 });
      expect([check.error, check.status, check.stdout]).toEqual([undefined, 0, '']);
    }
  });

  it('ifupdown: run-parts post-up for the bounced ENI restores the applied state; lo, --all, stop and other links do nothing', () => {
    const dir = join(root, 'etc/network/if-up.d');
    const ifupdown = (iface: string, mode = 'start'): void => {
      const run = asManager([`IFACE=${iface}`, `LOGICAL=${iface}`, `MODE=${mode}`, 'PHASE=post-up', 'ADDRFAM=inet', 'METHOD=static'], ['run-parts', '--exit-on-error', dir]);
      expect(run.code).toBe(0);
      expect(run.stderr).not.toMatch(/refused|failed|rolled/);
    };
    bounce();
    const bounced = host.dump();
    // eth1 is no ENI of the plan's (its MAC is not in it): a link like a container's veth runs nothing
    for (const [iface, mode] of [['lo', 'start'], ['--all', 'start'], ['eth2', 'stop'], ['eth1', 'start'], ['nosuchlink', 'start']] as const) {
      ifupdown(iface, mode);
      expect(host.dump()).toBe(bounced);
    }
    ifupdown('eth2');
    expect(host.dump()).toBe(applied);
    ifupdown('eth2');
    expect(host.dump()).toBe(applied);
  });

  it('NetworkManager: the dispatcher script with "<iface> up" restores it; down, lo and other links do nothing', () => {
    const script = join(root, HOOKS.networkManager);
    bounce();
    const bounced = host.dump();
    for (const args of [['eth2', 'down'], ['lo', 'up'], ['eth2', 'pre-up'], ['eth1', 'up']]) {
      expect(asManager([], [script, ...args]).code).toBe(0);
      expect(host.dump()).toBe(bounced);
    }
    expect(asManager([], [script, 'eth2', 'up']).code).toBe(0);
    expect(host.dump()).toBe(applied);
  });

  it('networkd-dispatcher: IFACE entering routable restores it; lo and other links do nothing', () => {
    const script = join(root, HOOKS.networkdDispatcher);
    bounce();
    const bounced = host.dump();
    for (const iface of ['lo', 'eth1']) {
      expect(asManager([`IFACE=${iface}`, 'STATE=routable'], [script]).code).toBe(0);
      expect(host.dump()).toBe(bounced);
    }
    expect(asManager(['IFACE=eth2', 'STATE=routable'], [script]).code).toBe(0);
    expect(host.dump()).toBe(applied);
  });

  it('does nothing once remove took the recorded plan away, and remove deletes every hook', () => {
    const removed = agent('remove');
    expect([removed.code, removed.status]).toEqual([0, 'removed']);
    for (const hook of Object.values(HOOKS)) expect(existsSync(join(root, hook))).toBe(false);
    expect(existsSync(join(root, 'var/lib/eni-pbr'))).toBe(false);
  });
  it('installs no hook when the state directory is not a plain path (the hooks name it unquoted), and says so', () => {
    const odd = join(root, 'var/lib/odd dir');
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'env', '-i', PATH, `ENI_PBR_ROOT=${root}`, `ENI_PBR_PERSIST_DIR=${odd}`, `SSM_Plan=${plan}`, 'bash', shippedAgentPath(), 'apply'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('no link-up hooks');
    expect(existsSync(join(odd, 'plan'))).toBe(true);
    for (const hook of Object.values(HOOKS)) expect(existsSync(join(root, hook))).toBe(false);
  });
  it('a boot run waiting for the lock while remove takes the plan away changes nothing and writes nothing back', () => {
    expect(['applied', 'unchanged']).toContain(agent('apply').status);
    bounce();
    const bounced = host.dump();
    const inode = host.run(['stat', '-L', '-c', '%i', '/proc/self/ns/net']).trim();
    // holds apply's lock, starts a boot run (it reads the plan, then waits), removes the recorded state as
    // remove does under the lock, releases it; bounded: the boot run waits 30 s for the lock at most
    const script = [
      'set -e',
      `exec 9>/run/eni-pbr/lock-${inode}`,
      'flock 9',
      'env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ENI_PBR_ROOT="$1" bash "$2" boot >/dev/null 2>"$1/boot.err" 9>&- & boot=$!',
      'sleep 2',
      'rm -rf "$1/var/lib/eni-pbr"',
      'flock -u 9',
      'wait "$boot"',
    ].join('\n');
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'sh', '-c', script, 'sh', root, shippedAgentPath()], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(readFileSync(join(root, 'boot.err'), 'utf8')).toContain('changed or went while waiting for the lock; nothing to do');
    expect(host.dump()).toBe(bounced);
    expect(existsSync(join(root, 'var/lib/eni-pbr'))).toBe(false);
  });
});
