// The planner on a large host: 15 ENIs × 50 IPv4 each (46 addresses + 4 delegated /28 prefixes), five
// subnets shared by three ENIs each (per-IP rules: the costly case of fact e), Docker NAT (connmark on).
// Prints medians and their ratio to a baseline measured in this process: JSON.parse(JSON.stringify())
// of the same inputs. Goal (issue 2): planning ≤ 5 ms. Figures only; nothing here asserts a time.
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { parseInstanceFacts } from '../functions/core/ec2/parse-instance-facts';
import { parseInspectDocument } from '../functions/core/observed/parse-inspect-document';
import { renderPlanLines } from '../functions/core/plan-lines/render-plan-lines';
import { parsePlanLines } from '../functions/core/plan-lines/parse-plan-lines';
import { planRemediation } from '../functions/core/planner/plan-remediation';
import { applyPlan } from '../test/core/helpers/apply-plan';

const ENIS = 15;
const ADDRESSES = 46; // primary + 45 secondaries
const PREFIXES = 4; // delegated /28s: 46 + 4 = 50 IPv4 entries per ENI
const WARMUP = 50;
const RUNS = 400;
const INSTANCE_ID = 'i-0b00000000000be7c';

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const macOf = (device: number): string => `0a:be:00:00:00:${hex2(device)}`;
// Three ENIs per subnet by default; `-- planner` also measures one ENI per subnet (the rules-per-ENI goal).
let enisPerSubnet = 3;
const subnetOf = (device: number): number => (device === 0 ? 0 : 1 + Math.floor((device - 1) / enisPerSubnet)); // 10.0.<16·s>.0/20
const ipOf = (device: number, index: number): string => `10.0.${16 * subnetOf(device) + 1 + Math.floor(device / 3)}.${(device % 3) * 80 + index + 10}`;
const prefixOf = (device: number, index: number): string => `10.0.${16 * subnetOf(device) + 8 + (device % 3)}.${16 * (4 * Math.floor(device / 3) % 16 + index)}/28`;

function ec2Input(): { instanceId: string; describeNetworkInterfaces: unknown; describeSubnets: unknown } {
  const NetworkInterfaces = Array.from({ length: ENIS }, (_, device) => ({
    Attachment: { DeviceIndex: device, NetworkCardIndex: 0, InstanceId: INSTANCE_ID, Status: 'attached' },
    InterfaceType: 'interface',
    MacAddress: macOf(device),
    NetworkInterfaceId: `eni-0be00000000000${hex2(device)}0`,
    PrivateIpAddress: ipOf(device, 0),
    PrivateIpAddresses: Array.from({ length: ADDRESSES }, (_, index) => ({ Primary: index === 0, PrivateIpAddress: ipOf(device, index) })),
    Ipv4Prefixes: Array.from({ length: PREFIXES }, (_, index) => ({ Ipv4Prefix: prefixOf(device, index) })),
    SourceDestCheck: true,
    SubnetId: `subnet-0be000000000000${subnetOf(device)}`,
    VpcId: 'vpc-0be00000000000001',
  }));
  const Subnets = Array.from({ length: subnetOf(ENIS - 1) + 1 }, (_, s) => ({ SubnetId: `subnet-0be000000000000${s}`, CidrBlock: `10.0.${16 * s}.0/20`, VpcId: 'vpc-0be00000000000001' }));
  return { instanceId: INSTANCE_ID, describeNetworkInterfaces: { NetworkInterfaces }, describeSubnets: { Subnets } };
}

/** An inspect document shaped like the agent's (ip -j / nft -j), Docker running, every primary IP on its link. */
function inspectDocument(): unknown {
  const names = Array.from({ length: ENIS }, (_, device) => `ens${5 + device}`);
  const link = (ifindex: number, ifname: string, address: string) => ({ ifindex, ifname, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 9001, operstate: 'UP', link_type: 'ether', address, broadcast: 'ff:ff:ff:ff:ff:ff' });
  const links = [...names.map((name, device) => link(device + 2, name, macOf(device))), link(40, 'docker0', '02:42:ac:11:00:01')];
  const addr = names.map((name, device) => ({ ...link(device + 2, name, macOf(device)), addr_info: [{ family: 'inet', local: ipOf(device, 0), prefixlen: 20, scope: 'global', label: name }] }));
  return {
    schemaVersion: 1,
    host: { hostname: 'ip-10-0-1-10' },
    links,
    bridges: ['docker0'],
    addr,
    rules4: [{ priority: 0, src: 'all', table: 'local' }, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }],
    rules6: [],
    routes4: [{ dst: 'default', gateway: '10.0.0.1', dev: 'ens5', protocol: 'dhcp', metric: 100, flags: [] }, ...names.map((name, device) => ({ dst: `10.0.${16 * subnetOf(device)}.0/20`, dev: name, protocol: 'kernel', scope: 'link', flags: [] }))],
    routes6: [],
    firewall: { backend: 'nft', ownTable: null, markLines: [], natLines: ['ip saddr 172.17.0.0/16 oifname != "docker0" counter packets 0 bytes 0 masquerade'] },
    sysctl: { ipForward: '1', srcValidMark: '0', rpFilter: Object.fromEntries(['all', 'default', ...names].map((name) => [name, '2'])) },
    managers: { cloudInitHotplug: false, netplan: false, ec2NetUtils: false, nmCloudSetup: false, networkManager: false, systemdNetworkd: true, vpcCni: false },
  };
}

function median(run: () => unknown): number {
  for (let i = 0; i < WARMUP; i += 1) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** eni-pbr's rules per ENI in a plan (by table, or by the MAC of an iif rule), and the shared ones. */
function rulesPerEni(operations: ReturnType<typeof planRemediation>['operations']): { max: number; shared: number } {
  const perEni = new Map<string, number>();
  let shared = 0;
  for (const op of operations) {
    if (op.kind !== 'rule-add') continue;
    const key = op.table !== 'main' ? String(op.table) : 'iifMac' in op.selector ? `mac ${op.selector.iifMac}` : null;
    if (key === null) shared += 1;
    else perEni.set(key, (perEni.get(key) ?? 0) + 1);
  }
  // an iif rule and the table's rules belong to one ENI: table 20000 + device, MAC of device
  const byDevice = new Map<number, number>();
  for (const [key, count] of perEni) {
    const device = key.startsWith('mac ') ? parseInt(key.slice(-2), 16) : Number(key) - 20000;
    byDevice.set(device, (byDevice.get(device) ?? 0) + count);
  }
  return { max: Math.max(...byDevice.values()), shared };
}

function measure(): void {
  const ec2 = ec2Input();
  const doc = inspectDocument();
  const facts = parseInstanceFacts(ec2);
  const fresh = parseInspectDocument(doc);
  const firstPlan = planRemediation(facts, fresh);
  const converged = applyPlan(fresh, firstPlan.operations);
  const text = renderPlanLines(firstPlan.operations);

  const baseline = median(() => JSON.parse(JSON.stringify({ ec2, doc })));
  const figures: [string, number][] = [
    ['parseInstanceFacts', median(() => parseInstanceFacts(ec2))],
    ['parseInspectDocument', median(() => parseInspectDocument(doc))],
    ['planRemediation, fresh host', median(() => planRemediation(facts, fresh))],
    ['planRemediation, converged host', median(() => planRemediation(facts, converged))],
    ['renderPlanLines', median(() => renderPlanLines(firstPlan.operations))],
    ['parsePlanLines', median(() => parsePlanLines(text))],
  ];
  const rules = rulesPerEni(firstPlan.operations);
  const addresses = converged.addresses.filter((address) => address.family === 4 && address.ifname.startsWith('ens')).length;

  console.log(`${ENIS} ENIs × ${ADDRESSES + PREFIXES} IPv4 (${PREFIXES} prefixes), ${enisPerSubnet} ENI(s) per subnet, ${firstPlan.operations.length} operations (${text.length} bytes of plan, ${gzipSync(text).toString('base64').length} as gzip+base64), re-plan after apply: ${planRemediation(facts, converged).operations.length} operations`);
  console.log(`rules per ENI: at most ${rules.max} (+ ${rules.shared} shared); addresses on the ENIs after apply: ${addresses} of ${ENIS * ADDRESSES}`);
  console.log(`median of ${RUNS} runs after ${WARMUP} warm-up runs; baseline JSON.parse(JSON.stringify(inputs)) = ${baseline.toFixed(3)} ms`);
  for (const [name, ms] of figures) console.log(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)} × baseline`);
}

measure();
enisPerSubnet = 1;
console.log('');
measure();
