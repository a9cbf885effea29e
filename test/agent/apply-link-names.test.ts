/**
 * Link names come from the kernel, which allows '"', '\', '#' and '@' in them (dev_valid_name). Such a
 * name must never reach an ip -batch line ("#" starts a comment) or an nft string: the agent refuses to
 * resolve a MAC to it, and inspect escapes every name. A bridge port is never an ENI's interface (the
 * bridge took its MAC): it is refused like the TypeScript core does (resolve-interface.ts).
 *
 *   ┌─────────────── host ns ───────────────┐      ┌── peer ns ──┐
 *   │ eth1 …:3b:01 ──────────────────────────┼──────┼─ p1         │
 *   │ eth2 …:3b:02 ── port of br-t (…:3b:02) ┼──────┼─ p2         │
 *   │ q"u\o#t …:3b:a1 ── veth ── a@b …:3b:a2  │      └─────────────┘
 *   └───────────────────────────────────────┘
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, inspectHost, planOf } from './run-agent';

const ODD = 'q"u\\o#t';
const AT = 'a@b';
const ODD_MAC = '02:00:00:00:3b:a1';
const AT_MAC = '02:00:00:00:3b:a2';

describeAsRoot('agent apply resolves a MAC only to a plainly named, unenslaved link', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x3b });
    host.run(['ip', 'link', 'add', ODD, 'address', ODD_MAC, 'type', 'veth', 'peer', 'name', AT, 'address', AT_MAC]);
    host.run(['ip', 'link', 'add', 'br-t', 'type', 'bridge']);
    host.run(['ip', 'link', 'set', 'eth2', 'master', 'br-t']);
  });
  afterAll(() => host?.destroy());

  it.each([
    ['a link named with a quote, a backslash and a "#"', ODD_MAC, /name outside/],
    ['a link named with an "@" (cut at "name@parent")', AT_MAC, /name outside/],
    ['a bridge port', '02:00:00:00:3b:02', /enslaved/],
  ])('refuses %s, changing nothing', async (_what, mac, reason) => {
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planOf(`route replace 4 20002 10.0.2.0/24 dev ${mac}`, `link group ${mac} 224`));

    expect(run.ResponseCode).toBe(3);
    expect(output.result.status).toBe('refused');
    expect(output.result.error).toMatch(reason);
    expect(host.dump()).toBe(before);
  });

  it('still resolves a plain link beside them', async () => {
    const { output } = await applyPlan(host.ns, planOf(`route replace 4 20001 10.0.1.0/24 dev ${host.macs[0]}`));

    expect(output.result.status).toBe('applied');
    expect(host.run(['ip', '-4', 'route', 'show', 'table', '20001'])).toContain('dev eth1');
  });

  it('prints inspect as valid JSON with every name escaped', async () => {
    const doc = await inspectHost(host.ns);

    const sysctl = doc.sysctl as { rpFilter: Record<string, string> };
    expect(Object.keys(sysctl.rpFilter)).toEqual(expect.arrayContaining([ODD, AT]));
    expect((doc.links as { ifname: string }[]).map((link) => link.ifname)).toEqual(expect.arrayContaining([ODD, AT]));
  });
});
