/**
 * The core and the agent agree on an iptables host (no nft: Amazon Linux 2, older RHEL), on the real
 * kernel: the plan marks connections in eni-pbr's own mangle chains, and the state the agent reports
 * afterwards (`firewall.ownIptables`) plans nothing more.
 *
 *   host ns: eth1 (primary 10.0.1.10/24) eth2 (10.0.3.158/24), MASQUERADE of 172.17.0.0/16 ── peers
 */
import { describeAsRoot } from '../../helpers/root-only';
import { parseInstanceFacts } from '../../../functions/core/ec2/parse-instance-facts';
import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { createNamespaceHost, type NamespaceHost } from '../../agent/namespace-host';
import { applyWithPath, inspectWithPath } from '../../agent/run-agent-script';
import { pathWithout, type PathWithout } from '../../agent/without-nft';


const INSTANCE = 'i-0123456789abcdef0';

function ec2Facts(primaryMac: string, secondMac: string) {
  const eni = (id: string, mac: string, device: number, subnet: string, ip: string) => ({
    NetworkInterfaceId: id, MacAddress: mac, InterfaceType: 'interface', Status: 'in-use', SubnetId: subnet, VpcId: 'vpc-0a1b2c3d',
    Attachment: { AttachmentId: `eni-attach-0${device}`, DeviceIndex: device, NetworkCardIndex: 0, Status: 'attached', InstanceId: INSTANCE },
    PrivateIpAddress: ip, PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }], SourceDestCheck: true,
  });
  return parseInstanceFacts({
    instanceId: INSTANCE,
    describeNetworkInterfaces: { NetworkInterfaces: [eni('eni-0aaa00000000000a1', primaryMac, 0, 'subnet-0a000001', '10.0.1.10'), eni('eni-0aaa00000000000a2', secondMac, 1, 'subnet-0a000003', '10.0.3.158')] },
    describeSubnets: { Subnets: [{ SubnetId: 'subnet-0a000001', CidrBlock: '10.0.1.0/24', VpcId: 'vpc-0a1b2c3d' }, { SubnetId: 'subnet-0a000003', CidrBlock: '10.0.3.0/24', VpcId: 'vpc-0a1b2c3d' }] },
  });
}

describeAsRoot('an iptables host, end to end on the kernel', () => {
  let host: NamespaceHost;
  let noNft: PathWithout;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x5c });
    noNft = pathWithout(['nft']);
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.3.158/24', 'dev', 'eth2']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1', 'onlink']);
    host.run(['iptables', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', '-s', '172.17.0.0/16', '!', '-o', 'docker0', '-j', 'MASQUERADE']);
  });

  afterAll(() => {
    host?.destroy();
    noNft?.remove();
  });

  it('marks in its own mangle chains and then plans nothing more', () => {
    // Prepare
    const facts = ec2Facts(host.macs[0] ?? '', host.macs[1] ?? '');
    const before = parseInspectDocument(inspectWithPath(host.ns, noNft.path));
    expect(before.firewall).toMatchObject({ backend: 'iptables', masquerade: true, ownConnmark: null });
    const plan = planRemediation(facts, before);
    expect(plan.operations).toContainEqual(expect.objectContaining({ kind: 'connmark-replace', marks: [{ mac: host.macs[0], mark: 0x1 }, { mac: host.macs[1], mark: 0x2 }] }));
    // Act
    const applied = applyWithPath(host.ns, noNft.path, renderPlanLines(plan.operations));
    // Assess
    expect(applied.code).toBe(0);
    expect(applied.output.result.status).toBe('applied');
    const after = parseInspectDocument(applied.output.after);
    expect(after.firewall.ownConnmark).toEqual({ mask: 0x7f, marks: [{ mac: host.macs[0], ifname: 'eth1', mark: 0x1 }, { mac: host.macs[1], ifname: 'eth2', mark: 0x2 }], intact: true });
    expect(planRemediation(facts, after).operations).toEqual([]);
  });
});
