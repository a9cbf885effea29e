import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';
import { shippedAgentPath } from './shipped-agent';

// The networkd drop-in the agent writes, read by the real systemd-networkd (Debian 12's, from the
// systemd package scripts/ci/ensure-deps.sh installs), started in the test's network namespace and a
// private mount namespace (its own /run, /etc/systemd with only the drop-in, a read-only /sys) at debug
// level, and stopped once it has read the kernel. networkd parses networkd.conf.d at start and enumerates
// the namespace's links, addresses, routes and rules; a rule it "remembers" as foreign is one it will
// delete when it reconfigures a link (ManageForeignRoutingPolicyRules=yes, its default). With
// eni-pbr's drop-in: no parse warning, and eni-pbr's rule is not taken in. Without it, or with a key
// misspelt (the control: proves the file is read), networkd takes the rule in for deletion.
const NETWORKD = '/lib/systemd/systemd-networkd';
const WAIT_TENTHS = 200;

describeAsRoot("systemd-networkd reading the agent's drop-in", () => {
  let host: NamespaceHost;
  let work: string;
  let dropIn = '';

  /** networkd's debug log of one start with CONF as its only networkd.conf.d file (none when null). */
  const networkd = (conf: string | null): string => {
    const dir = mkdtempSync(join(work, 'etc-'));
    mkdirSync(join(dir, 'network'));
    mkdirSync(join(dir, 'networkd.conf.d'));
    if (conf !== null) writeFileSync(join(dir, 'networkd.conf.d/eni-pbr.conf'), conf);
    const script = [
      'set -e',
      'mount -t tmpfs tmpfs /run',
      'mkdir -p /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp',
      'chown -R systemd-network:systemd-network /run/systemd/netif',
      'mount -t tmpfs tmpfs /etc/systemd',
      'mkdir /etc/systemd/network /etc/systemd/networkd.conf.d',
      'mount --bind "$1/network" /etc/systemd/network',
      'mount --bind "$1/networkd.conf.d" /etc/systemd/networkd.conf.d',
      // read-only sysfs: networkd then leaves udev-less links alone instead of waiting for udev
      'umount /sys && mount -t sysfs -o ro sysfs /sys',
      // stopped once it has read the kernel (bounded: at most WAIT_TENTHS tenths of a second)
      'SYSTEMD_LOG_LEVEL=debug "$2" >"$1/log" 2>&1 & pid=$!',
      `i=0; while [ $i -lt ${WAIT_TENTHS} ] && ! grep -q 'Enumeration completed' "$1/log"; do sleep 0.1; i=$((i + 1)); done`,
      'kill "$pid"; wait "$pid" || true',
      'cat "$1/log"',
    ].join('\n');
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'sh', dir, NETWORKD], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([run.error, run.status]).toEqual([undefined, 0]);
    // without this line networkd had not read the kernel yet: nothing below would mean anything
    expect(run.stdout).toContain('Enumeration completed');
    return run.stdout;
  };
  const parseWarnings = (log: string): string[] => log.split('\n').filter((line) => line.includes('eni-pbr.conf'));
  const takesInEniPbrRule = (log: string): boolean => /Remembering foreign routing policy rule.*priority: 20101\b/.test(log);

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x60 });
    work = mkdtempSync(join(tmpdir(), 'eni-pbr-networkd-'));
    const root = join(work, 'root');
    mkdirSync(join(root, 'lib/systemd'), { recursive: true });
    writeFileSync(join(root, 'lib/systemd/systemd-networkd'), '', { mode: 0o755 }); // a networkd host, as the agent tells one
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    const [, eth2] = host.macs as [string, string];
    const plan = encodePlanParameter(planOf(`route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, 'rule add 4 20101 from 10.0.2.10/32 table 20002'));
    const run = spawnSync('ip', ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', `ENI_PBR_ROOT=${root}`, `SSM_Plan=${plan}`, 'bash', shippedAgentPath(), 'apply'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(0);
    dropIn = readFileSync(join(root, 'etc/systemd/networkd.conf.d/eni-pbr.conf'), 'utf8');
  });
  afterAll(() => {
    host?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('parses it without a warning and leaves eni-pbr\'s rule alone', () => {
    const log = networkd(dropIn);
    expect(parseWarnings(log)).toEqual([]);
    expect(takesInEniPbrRule(log)).toBe(false);
  });

  it('without it, takes eni-pbr\'s rule in as foreign (to delete at the next reconfiguration)', () => {
    expect(takesInEniPbrRule(networkd(null))).toBe(true);
  });

  it('warns about a misspelt key in the same file and then manages foreign rules again (the parser reads it)', () => {
    const log = networkd(dropIn.replace('ManageForeignRoutingPolicyRules=', 'ManageForeignRoutingPolicyRule='));
    expect(parseWarnings(log)).toEqual([expect.stringMatching(/eni-pbr\.conf:\d+: Unknown key 'ManageForeignRoutingPolicyRule'/)]);
    expect(takesInEniPbrRule(log)).toBe(true);
  });
});
