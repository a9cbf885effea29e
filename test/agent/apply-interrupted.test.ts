/**
 * A SIGTERM mid-apply — an operator's, or systemd stopping the SSM Agent's service; NOT an SSM cancel
 * or timeout, which SIGKILL the whole process group (amazon-ssm-agent executers_unix.go killProcess: no
 * trap runs, docs/agent-protocol.md "How SSM stops a command") — alone or to the whole process group
 * (which kills the ip batch half way) must leave the state exactly as before: the agent restores its
 * snapshot with signals ignored and says so. The plan is large (16,000 routes, a few hundred ms of
 * batch); the signal goes once the first route shows up, so it lands while the kernel changes.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3d:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { decodeApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { applyActingMidChange, manyRoutes } from './apply-mid-change';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';

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
    const ended = await applyActingMidChange(host, planOf(...manyRoutes(host.macs[0] ?? '')), (child) =>
      process.kill(target === 'agent' ? (child.pid as number) : -(child.pid as number), 'SIGTERM'),
    );

    // Assess
    expect(ended.acted).toBe(true);
    expect(host.dump()).toBe(before);
    expect(ended.code).toBe(5);
    const output = decodeApplyOutput(ended.stdout);
    expect(output.result.status).toBe('rolled-back');
    expect(output.result.error).toMatch(/^interrupted by SIGTERM while applying/);
    expect(output.result.after).toBe(output.result.before);
  });
});
