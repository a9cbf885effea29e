/**
 * Compare-and-swap (issue 14): a plan carries the owned-state digest of the inspect it was made from
 * (`state=` in its header); apply refuses it, changing nothing, once the host's own state moved on.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3e:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { HEADER, applyPlan, inspectHost } from './run-agent';

const planFrom = (state: string, ...lines: string[]): string => `${[`${HEADER} state=${state}`, ...lines].join('\n')}\n`;

async function stateDigest(ns: string): Promise<string> {
  const doc = await inspectHost(ns);
  return (doc.state as { digest: string }).digest;
}

describeAsRoot('agent apply of a plan tied to an owned state', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3e });
  });
  afterAll(() => host?.destroy());

  it('reports in inspect the digest the next apply sees as before', async () => {
    const digest = await stateDigest(host.ns);
    const { output } = await applyPlan(host.ns, planFrom(digest));

    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(output.result).toMatchObject({ status: 'unchanged', before: digest });
  });

  it('applies a plan made from the state the host is in', async () => {
    const digest = await stateDigest(host.ns);
    const { output } = await applyPlan(host.ns, planFrom(digest, 'rule add 4 20100 from 10.0.1.10/32 table 20001'));

    expect(output.result).toMatchObject({ status: 'applied', before: digest });
  });

  it('refuses a plan made before the host moved on, with status stale and exit 9, and changes nothing', async () => {
    const old = await stateDigest(host.ns);
    await applyPlan(host.ns, planFrom(old, 'rule add 4 20101 from 10.0.1.11/32 table 20001')); // a newer run got there first
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planFrom(old, 'rule del 4 20101 from 10.0.1.11/32 table 20001'));

    expect(run.ResponseCode).toBe(9);
    expect(output.result).toMatchObject({ status: 'stale', operations: 0, error: expect.stringContaining(`the plan was made from ${old}`) });
    expect(output.after).toBeNull();
    expect(host.dump()).toBe(before);
  });
});
