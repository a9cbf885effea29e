/**
 * An SSM cancel or timeout signals the agent mid-apply. SIGTERM (alone, or to the whole process group,
 * which kills the ip batch half way) must leave the state exactly as before: the agent restores its
 * snapshot with signals ignored and says so. The plan is large (16,000 routes, a few hundred ms of
 * batch); the signal goes once the first route shows up, so it lands while the kernel changes.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3d:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { spawn, spawnSync } from 'node:child_process';
import { decodeApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';
import { encodeForAgentOnly } from './run-agent-script';
import { shippedAgentPath } from './shipped-agent';
const DEADLINE_MS = 20_000;

const routes = (mac: string): string[] =>
  Array.from({ length: 16_000 }, (_, i) => `route replace 4 20001 10.${Math.floor(i / 250)}.${i % 250}.0/24 dev ${mac}`);

interface Ended {
  code: number | null;
  stdout: string;
  signalled: boolean;
}

/** Starts apply, signals it once table 20001 has a route, and resolves when it ends (bounded). */
function applyAndSignal(host: NamespaceHost, plan: string, target: 'agent' | 'group'): Promise<Ended> {
  // detached: the agent leads its own group; `ip netns exec` and `env` exec, so the pid is bash's
  const child = spawn('ip', ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', `SSM_Plan=${encodeForAgentOnly(plan)}`, 'bash', shippedAgentPath(), 'apply'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code) => resolve({ code, stdout, signalled })));
  let signalled = false;
  const started = Date.now();
  const poll = (): void => {
    if (child.exitCode !== null || Date.now() - started > DEADLINE_MS) return;
    const listed = spawnSync('ip', ['-n', host.ns, '-4', 'route', 'show', 'table', '20001'], { encoding: 'utf8', timeout: 5_000 });
    if (listed.stdout.trim() === '') {
      setTimeout(poll, 2);
      return;
    }
    signalled = true;
    process.kill(target === 'agent' ? (child.pid as number) : -(child.pid as number), 'SIGTERM');
  };
  setTimeout(poll, 2);
  const guard = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), DEADLINE_MS * 2);
  return ended.finally(() => clearTimeout(guard));
}

describeAsRoot('agent apply interrupted by SIGTERM', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3d });
  });
  afterAll(() => host?.destroy());

  it.each(['agent', 'group'] as const)('puts the state back exactly when the signal goes to the %s', async (target) => {
    // Prepare
    const before = host.dump();

    // Act
    const ended = await applyAndSignal(host, planOf(...routes(host.macs[0] ?? '')), target);

    // Assess
    expect(ended.signalled).toBe(true);
    expect(host.dump()).toBe(before);
    expect(ended.code).toBe(5);
    const output = decodeApplyOutput(ended.stdout);
    expect(output.result.status).toBe('rolled-back');
    expect(output.result.error).toMatch(/^interrupted by SIGTERM while applying/);
    expect(output.result.after).toBe(output.result.before);
  });
});
