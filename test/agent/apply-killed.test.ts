/**
 * SSM ends a command that times out or is cancelled with SIGKILL to its whole process group
 * (amazon-ssm-agent agent/executers/executers_unix.go killProcess): no trap runs. The apply's journal
 * lets the next run undo it (issue 14). The plan is large (16,000 routes), and the group is killed once
 * the first route shows up, so the kill lands while the kernel changes.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3b:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { spawn, spawnSync } from 'node:child_process';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { inspectHost, planOf } from './run-agent';
import { shippedAgentPath } from './shipped-agent';

const DEADLINE_MS = 20_000;

/** Starts apply in its own process group and SIGKILLs the group once table 20001 has a route. */
function applyAndKill(host: NamespaceHost, plan: string): Promise<{ killed: boolean; stdout: string }> {
  const child = spawn('ip', ['netns', 'exec', host.ns, 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', `SSM_Plan=${encodePlanParameter(plan)}`, 'bash', shippedAgentPath(), 'apply'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const ended = new Promise<{ killed: boolean; stdout: string }>((resolve) => child.on('close', () => resolve({ killed, stdout })));
  const started = Date.now();
  const poll = (): void => {
    if (child.exitCode !== null || Date.now() - started > DEADLINE_MS) return;
    const listed = spawnSync('ip', ['-n', host.ns, '-4', 'route', 'show', 'table', '20001'], { encoding: 'utf8', timeout: 5_000 });
    if (listed.stdout.trim() === '') {
      setTimeout(poll, 2);
      return;
    }
    killed = true;
    process.kill(-(child.pid as number), 'SIGKILL');
  };
  setTimeout(poll, 2);
  return ended;
}

describeAsRoot('an apply SIGKILLed with its process group, as SSM does on timeout and cancel', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3b });
  });
  afterAll(() => host?.destroy());

  it('is undone by the next inspect, which reports it', async () => {
    // Prepare
    const before = host.dump();
    const routes = Array.from({ length: 16_000 }, (_, i) => `route replace 4 20001 10.${16 + Math.floor(i / 250)}.${i % 250}.0/24 dev ${host.macs[0] ?? ''}`);

    // Act
    const ended = await applyAndKill(host, planOf(...routes));
    const halfDone = host.run(['ip', '-4', 'route', 'show', 'table', '20001']);
    const doc = await inspectHost(host.ns);

    // Assess
    expect(ended).toEqual({ killed: true, stdout: '' });
    expect(halfDone).not.toBe(''); // the kill left the apply half done
    expect((doc.state as { recovered: unknown[] }).recovered).toEqual([{ startedAt: expect.any(Number), outcome: 'rolled-back', error: null }]);
    expect(host.dump()).toBe(before);
  });

  it('reports nothing the next time: the journal is gone', async () => {
    const doc = await inspectHost(host.ns);

    expect((doc.state as { recovered: unknown[] }).recovered).toEqual([]);
  });
});
