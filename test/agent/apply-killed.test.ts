/**
 * SSM ends a command that times out or is cancelled with SIGKILL to its whole process group
 * (amazon-ssm-agent agent/executers/executers_unix.go killProcess): no trap runs. The apply's journal
 * lets the next run undo it (issue 14) — here with the dead-man timer off (ENI_PBR_DEADMAN_SECONDS=0),
 * as on a host whose watchdog died too; test/agent/deadman.test.ts has the timer undo it at once. The
 * plan is large (16,000 routes), and the group is killed once the first route shows up, so the kill
 * lands while the kernel changes.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3b:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { applyActingMidChange, manyRoutes } from './apply-mid-change';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { inspectHost, planOf } from './run-agent';

describeAsRoot('an apply SIGKILLed with its process group, as SSM does on timeout and cancel', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3b });
  });
  afterAll(() => host?.destroy());

  it('is undone by the next inspect, which reports it', async () => {
    // Prepare
    const before = host.dump();

    // Act: SIGKILL to the whole group, as the SSM Agent sends it
    const ended = await applyActingMidChange(host, planOf(...manyRoutes(host.macs[0] ?? '')), (child) => process.kill(-(child.pid as number), 'SIGKILL'), {
      env: ['ENI_PBR_DEADMAN_SECONDS=0'],
    });
    const halfDone = host.run(['ip', '-4', 'route', 'show', 'table', '20001']);
    const doc = await inspectHost(host.ns);

    // Assess
    expect(ended).toMatchObject({ acted: true, stdout: '' });
    expect(halfDone).not.toBe(''); // the kill left the apply half done
    expect((doc.state as { recovered: unknown[] }).recovered).toEqual([{ startedAt: expect.any(Number), outcome: 'rolled-back', error: null }]);
    expect(host.dump()).toBe(before);
  });

  it('reports nothing the next time: the journal is gone', async () => {
    const doc = await inspectHost(host.ns);

    expect((doc.state as { recovered: unknown[] }).recovered).toEqual([]);
  });
});
