/**
 * A restore puts back eni-pbr's own changes only (issue 14): an address another tool adds while the
 * apply runs — Docker giving a new bridge 172.18.0.1/16 — survives the rollback of a failed apply.
 * The plan is long (16,000 routes, then a gateway on a link that is down, which fails last), and the
 * bridge gets its address once the first route shows up, so it lands between snapshot and restore.
 *
 *   ┌──────── host ns ────────┐      ┌── peer ns ──┐
 *   │ eth1 …:3f:01 ───────────┼──────┼─ p1         │
 *   │ eth2 …:3f:02 (down)     │      └─────────────┘
 *   │ br-foreign (bridge)     │
 *   └─────────────────────────┘
 */
import { decodeApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { applyActingMidChange, manyRoutes } from './apply-mid-change';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { planOf } from './run-agent';

describeAsRoot('agent rollback and another tool’s address', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x3f });
    host.run(['ip', 'link', 'set', 'eth2', 'down']);
    host.run(['ip', 'link', 'add', 'br-foreign', 'type', 'bridge']);
  });
  afterAll(() => host?.destroy());

  it('keeps the bridge address Docker added mid-apply, and still reports rolled-back', async () => {
    const [eth1, eth2] = host.macs as [string, string];
    const plan = planOf(...manyRoutes(eth1), `route replace 4 20002 default via 10.0.2.1 dev ${eth2}`);

    const ended = await applyActingMidChange(host, plan, () => host.run(['ip', 'addr', 'add', '172.18.0.1/16', 'dev', 'br-foreign']));

    expect(ended).toMatchObject({ acted: true, code: 5 });
    expect(decodeApplyOutput(ended.stdout).result.status).toBe('rolled-back');
    expect(host.run(['ip', '-4', 'addr', 'show', 'dev', 'br-foreign'])).toContain('172.18.0.1/16');
    expect(host.run(['ip', '-4', 'route', 'show', 'table', '20001'])).toBe('');
  });
});
