import { statSync } from 'node:fs';
import { join } from 'node:path';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { assertCommandFitsQuota } from '../../functions/agent-protocol/ssm-size-budget';
import { netnsAgentCommand } from '../../functions/cli/netns-agent-command';
import { DEFAULT_PLAN_OPTIONS } from '../../functions/core/defaults';
import { remediateInstance } from '../../functions/use-cases/remediate-instance';
import { ENI_COUNT, IPS_PER_ENI, configureLargestInstanceDhcp, largestInstanceEc2 } from './largest-instance';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';

// The largest instance remediated with the defaults (connection marking on: the most rules), from what
// DHCP leaves: every one of its 750 addresses ends on its ENI, the primary's 49 secondaries included,
// with at most 3 rules per ENI (one ENI per subnet: one whole-subnet rule each) beside the one shared
// suppress_ifgroup rule.
/** The ENI a rule of eni-pbr's serves: its table 20000 + device index, or its `iif`; null for the shared one. */
function eniOfRule(rule: string): string | null {
  const table = /lookup (2\d{4})\b/.exec(rule)?.[1];
  if (table !== undefined) return `eth${Number(table) - 20000 + 1}`;
  return /iif (eth\d+)/.exec(rule)?.[1] ?? null;
}

describeAsRoot('remediating the largest instance (15 ENIs x 50 IPv4, one subnet each) with the defaults', () => {
  let host: NamespaceHost;
  const options = { ...DEFAULT_PLAN_OPTIONS, connmark: 'always' as const };
  const remediate = () =>
    remediateInstance(
      { instanceId: 'i-0a00000000000750a', planOptions: options },
      { facts: { describeInstance: () => Promise.resolve(largestInstanceEc2(host.macs)) }, agent: netnsAgentCommand(host.ns) },
    );

  beforeAll(() => {
    host = createNamespaceHost({ enis: ENI_COUNT, tag: 0x3b });
    configureLargestInstanceDhcp(host);
  });
  afterAll(() => host?.destroy());

  it('ends with all 750 addresses, at most 3 rules per ENI, verified', async () => {
    const report = await remediate();

    expect(report).toMatchObject({ outcome: 'verified', remaining: [], commandRoundTrips: 2 });
    expect(report.findings.filter((finding) => finding.kind === 'warning')).toEqual([]);
    // Its plan (735 addresses, 46 rules) still goes through SSM beside the document: 64 KB for both.
    const documentBytes = statSync(join(__dirname, '..', '..', 'ssm', 'eni-pbr-agent.json')).size;
    expect(() => assertCommandFitsQuota(documentBytes, { Mode: 'apply', Plan: encodePlanParameter(report.planText) })).not.toThrow();
    const addresses = host.run(['ip', '-4', '-o', 'addr', 'show']).split('\n').filter((line) => / eth\d+ +inet 10\./.test(line));
    expect(addresses).toHaveLength(ENI_COUNT * IPS_PER_ENI);
    const rules = host.run(['ip', '-4', 'rule', 'show']).split('\n').filter((line) => line.includes(' proto 224'));
    const perEni = new Map<string, number>();
    for (const eni of rules.map(eniOfRule)) if (eni !== null) perEni.set(eni, (perEni.get(eni) ?? 0) + 1);
    expect(perEni.size).toBe(ENI_COUNT);
    expect(Math.max(...perEni.values())).toBeLessThanOrEqual(3);
    expect(rules.filter((rule) => eniOfRule(rule) === null)).toEqual([expect.stringContaining('suppress_ifgroup 224')]);
  });

  it('plans nothing on a second run', async () => {
    const again = await remediate();

    expect(again).toMatchObject({ outcome: 'verified', applied: null, commandRoundTrips: 1, operations: [] });
  });
});
