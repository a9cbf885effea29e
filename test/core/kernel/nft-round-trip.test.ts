/**
 * The core and the agent agree on an nft host, on the real kernel: the plan from the agent's inspect
 * marks connections in `table inet eni_pbr`, and the state the agent reports afterwards (`nft -j` of
 * the table, ip -j listings) plans nothing more. In the compatibility matrix this is where a JSON
 * difference of another nft or iproute2 would show up as a plan.
 *
 *   host ns: eth1 (primary 10.0.1.10/24) eth2 (10.0.3.158/24), nft masquerade of 172.17.0.0/16 ── peers
 */
import { describeAsRoot } from '../../helpers/root-only';
import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { createNamespaceHost, type NamespaceHost } from '../../agent/namespace-host';
import { applyPlan, inspectHost } from '../../agent/run-agent';
import { twoEniFacts } from './two-eni-facts';

describeAsRoot('an nft host, end to end on the kernel', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x5d });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.3.158/24', 'dev', 'eth2']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1', 'onlink']);
    host.run(['nft', '-f', '-'], 'table ip nat { chain postrouting { type nat hook postrouting priority 100; ip saddr 172.17.0.0/16 oifname != "docker0" masquerade; }; }\n');
  });
  afterAll(() => host?.destroy());

  it('routes and marks from the plan, and then plans nothing more', async () => {
    // Prepare
    const facts = twoEniFacts(host.macs[0] ?? '', host.macs[1] ?? '');
    const before = parseInspectDocument(await inspectHost(host.ns));
    expect(before.firewall).toMatchObject({ backend: 'nft', masquerade: true, ownConnmark: null });
    const plan = planRemediation(facts, before);
    expect(plan.operations).toContainEqual(expect.objectContaining({ kind: 'connmark-replace', marks: [{ mac: host.macs[0], mark: 0x1 }, { mac: host.macs[1], mark: 0x2 }] }));
    // Act
    const { run, output } = await applyPlan(host.ns, renderPlanLines(plan.operations));
    // Assess
    expect(run.ResponseCode).toBe(0);
    expect(output.result.status).toBe('applied');
    const after = parseInspectDocument(output.after);
    expect(after.firewall.ownConnmark).toEqual({ mask: 0x7f, marks: [{ mac: host.macs[0], ifname: 'eth1', mark: 0x1 }, { mac: host.macs[1], ifname: 'eth2', mark: 0x2 }], intact: true });
    expect(planRemediation(facts, after).operations).toEqual([]);
    expect(planRemediation(facts, parseInspectDocument(await inspectHost(host.ns))).operations).toEqual([]);
  });
});
