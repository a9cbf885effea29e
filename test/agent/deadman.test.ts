/**
 * Never lock out, after the change (issue 12): the post-apply check of the primary's path, the dead-man
 * timer that undoes an apply killed or hung before it confirmed, and the guard's knowledge of the SSM
 * endpoints. The faults come from the agent assembled with its `# fault` lines (lib/fault.sh), which the
 * shipped script does not carry; everything else is the shipped code.
 *
 *   ┌──────────── host ns ─────────────────┐      ┌── peer ns ──┐
 *   │ eth1 10.0.1.10/24 (primary: main's   ├──────┤ p1          │
 *   │      default via 10.0.1.1)           │      │             │
 *   │ eth2 10.0.2.10/24                    ├──────┤ p2          │
 *   └──────────────────────────────────────┘      └─────────────┘
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeApplyOutput, type ApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { assembleAgent } from '../../scripts/ssm/assemble-agent';
import { applyActingMidChange } from './apply-mid-change';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { inspectHost, planOf } from './run-agent';

const WAIT_MS = 20_000; // every wait for the watchdog is bounded by this

const faultDir = mkdtempSync(join(tmpdir(), 'eni-pbr-faults-'));
const faultAgent = join(faultDir, 'eni-pbr-agent.sh');
writeFileSync(faultAgent, assembleAgent({ faults: true }), { mode: 0o700 });
afterAll(() => rmSync(faultDir, { recursive: true, force: true }));

function apply(host: NamespaceHost, planText: string, env: readonly string[] = []): { code: number | null; output: ApplyOutput; stderr: string } {
  const run = spawnSync(
    'ip',
    ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', ...env, `SSM_Plan=${encodePlanParameter(planText)}`, 'bash', faultAgent, 'apply'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: run.status, output: decodeApplyOutput(run.stdout), stderr: run.stderr };
}

/** The watchdogs still running for this test's agent (none once each apply has ended). */
function watchdogs(): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    })
    .filter((cmdline) => cmdline.includes(faultAgent) && cmdline.includes(' deadman '));
}

async function until(what: string, done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > WAIT_MS) throw new Error(`not within ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeAsRoot('the post-apply check and the dead-man timer', () => {
  let host: NamespaceHost;
  let eth2 = '';
  // a correct plan for the secondary ENI; the primary (eth1) keeps main's default route
  const plan = (): string => planOf(`route replace 4 20002 default via 10.0.2.1 dev ${eth2}`, 'rule add 4 20100 from 10.0.2.10/32 table 20002');

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x6d });
    eth2 = host.macs[1] ?? '';
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1']);
  });
  afterAll(() => host?.destroy());

  it('applies a plan that leaves the primary path alone, and its watchdog ends with it', async () => {
    const before = host.dump();

    const run = apply(host, plan());
    await until('the watchdog ends', () => watchdogs().length === 0);

    expect([run.code, run.output.result.status]).toEqual([0, 'applied']);
    expect(host.run(['ip', 'route', 'get', '169.254.169.254', 'from', '10.0.1.10'])).toMatch(/via 10\.0\.1\.1 dev eth1/);
    expect(host.run(['ip', 'route', 'get', '169.254.169.254', 'from', '10.0.2.10'])).toMatch(/via 10\.0\.2\.1 dev eth2/);
    host.run(['ip', 'rule', 'del', 'pref', '20100']);
    host.run(['ip', 'route', 'flush', 'table', '20002']);
    expect(host.dump()).toBe(before);
  });

  it('rolls back when, after the change, the primary address no longer takes main\'s path', async () => {
    const before = host.dump();

    // the fault: an eni-pbr rule the plan never had steers the primary's traffic into eth2's table
    const run = apply(host, plan(), ['ENI_PBR_FAULT=steer:10.0.1.10:20002']);
    await until('the watchdog ends', () => watchdogs().length === 0);

    expect([run.code, run.output.result.status]).toEqual([5, 'rolled-back']);
    expect(run.output.result.error).toMatch(/^post-apply check: the primary ENI's path changed; before: .*169\.254\.169\.254 from 10\.0\.1\.10 via 10\.0\.1\.1 dev eth1.* after: .*169\.254\.169\.254 from 10\.0\.1\.10 via 10\.0\.2\.1 dev eth2/);
    expect(host.dump()).toBe(before);
  });

  it('undoes an apply SIGKILLed with its process group before it confirmed, at once and without another run', async () => {
    const before = host.dump();

    // paused after the change, before the check: SSM's timeout kills the whole group there
    const ended = await applyActingMidChange(host, plan(), (child) => process.kill(-(child.pid as number), 'SIGKILL'), {
      agent: faultAgent,
      env: ['ENI_PBR_FAULT=pause:30'],
      table: 20002,
    });
    await until('the dead-man restores the snapshot', () => host.dump() === before && watchdogs().length === 0);
    const doc = await inspectHost(host.ns);
    const again = await inspectHost(host.ns);

    expect(ended).toMatchObject({ acted: true, stdout: '' });
    expect(host.dump()).toBe(before);
    // reported once, by the next inspect
    expect((doc.state as { recovered: unknown[] }).recovered).toEqual([{ startedAt: expect.any(Number), outcome: 'rolled-back', error: null }]);
    expect((again.state as { recovered: unknown[] }).recovered).toEqual([]);
  });

  it('stops an apply that does not confirm within its deadline, which then rolls back', async () => {
    const before = host.dump();

    const run = apply(host, plan(), ['ENI_PBR_FAULT=pause:30', 'ENI_PBR_DEADMAN_SECONDS=2']);
    await until('the watchdog ends', () => watchdogs().length === 0);

    expect([run.code, run.output.result.status]).toEqual([5, 'rolled-back']);
    expect(run.output.result.error).toMatch(/^interrupted by SIGTERM while applying/);
    expect(host.dump()).toBe(before);
  });

  it('has remove finish a killed apply\'s restore first when no watchdog ran', async () => {
    const before = host.dump();

    await applyActingMidChange(host, plan(), (child) => process.kill(-(child.pid as number), 'SIGKILL'), {
      agent: faultAgent,
      env: ['ENI_PBR_FAULT=pause:30', 'ENI_PBR_DEADMAN_SECONDS=0'],
      table: 20002,
    });
    const halfDone = host.dump();
    const removed = spawnSync('ip', ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'bash', faultAgent, 'remove'], { encoding: 'utf8', timeout: 60_000 });

    expect(halfDone).not.toBe(before);
    expect(removed.stderr).toMatch(/journal: an apply started at \d+ was killed; restoring its snapshot/);
    expect(removed.status).toBe(0);
    expect(host.dump()).toBe(before);
  });
});

describeAsRoot('the guard knows the SSM endpoints of the region (AWS_SSM_REGION_NAME, as the SSM Agent sets it)', () => {
  let host: NamespaceHost;
  let netnsEtc = '';
  const region = ['AWS_SSM_REGION_NAME=ap-northeast-1'];

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x6e });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1']);
    // `ip netns exec` mounts /etc/netns/<ns>/hosts over /etc/hosts for this namespace alone: the
    // endpoints resolve (through getent, as on an instance) to addresses of the test's choosing
    netnsEtc = join('/etc/netns', host.ns);
    mkdirSync(netnsEtc, { recursive: true });
    writeFileSync(
      join(netnsEtc, 'hosts'),
      ['127.0.0.1 localhost', '198.51.100.7 ssm.ap-northeast-1.amazonaws.com', '198.51.100.8 ssmmessages.ap-northeast-1.amazonaws.com', '198.51.100.9 ec2messages.ap-northeast-1.amazonaws.com', ''].join('\n'),
    );
  });
  afterAll(() => {
    host?.destroy();
    if (netnsEtc !== '' && existsSync(netnsEtc)) rmSync(netnsEtc, { recursive: true, force: true });
  });

  // the primary's traffic to 198.51.100.0/24 (the endpoints) steered out of eth2; the metadata service
  // untouched: only the endpoints tell this plan would cut SSM off
  const steering = (): string =>
    planOf(`route replace 4 20002 198.51.100.0/24 via 10.0.2.1 dev ${host.macs[1] ?? ''}`, 'rule add 4 20100 from 10.0.1.10/32 table 20002');

  it('refuses a plan that would send the primary address\'s traffic to an SSM endpoint out of another ENI', () => {
    const before = host.dump();

    const run = apply(host, steering(), region);

    expect([run.code, run.output.result.status]).toEqual([11, 'refused']);
    expect(run.output.result.error).toBe(
      "line 3: would lock the instance out: traffic from the primary address 10.0.1.10 (eth1) would reach the SSM endpoint 198.51.100.7 through table 20002, not main's route via 10.0.1.1 dev eth1",
    );
    expect(host.dump()).toBe(before);
  });

  it('knows the metadata service alone without the region (a lab, the boot unit of a plan checked once already)', () => {
    const run = apply(host, steering());

    expect([run.code, run.output.result.status]).toEqual([0, 'applied']);
    expect(host.run(['ip', 'route', 'get', '198.51.100.7', 'from', '10.0.1.10'])).toMatch(/via 10\.0\.2\.1 dev eth2/);
  });
});
