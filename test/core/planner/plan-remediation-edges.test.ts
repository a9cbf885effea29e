import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { PlanOptions } from '../../../functions/core/model/plan-options';
import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { InvalidPlanOptionsError } from '../../../functions/core/planner/invalid-plan-options-error';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, readInspectFixture } from '../helpers/load-fixtures';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edits of captured ip -j output

/** A captured host, edited the way another tool would have changed it. */
function hostFrom(name: string, edit: (doc: Doc) => void) {
  const doc: Doc = readInspectFixture(name);
  edit(doc);
  return parseInspectDocument(doc);
}

// The interface-group lines and the suppress_ifgroup rule have their own cases (suppression.test.ts).
const body = (operations: Parameters<typeof renderPlanLines>[0], options: PlanOptions = DEFAULT_PLAN_OPTIONS): string[] =>
  renderPlanLines(operations, options).split('\n').slice(1, -1).filter((line) => !line.startsWith('link group ') && !line.includes(' suppress-ifgroup '));

describe('planRemediation at the edges', () => {
  it('plans nothing for an ENI whose MAC no link carries and says so', () => {
    const plan = planRemediation(loadFacts('bare-three'), hostFrom('bare-two', () => undefined));
    expect(body(plan.operations).some((line) => line.includes('0a:1b:00:00:00:03') || line.includes('20002'))).toBe(false);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'interface-not-found', eniId: 'eni-0e7000000000000a7' }));
  });

  it('plans nothing for an ENI whose MAC two links carry, and keeps what eni-pbr made for it', () => {
    // A macvlan on ens7 copies its MAC: eni-pbr cannot tell which link is the ENI.
    const host = hostFrom('applied', (doc) => doc.links.push({ ...doc.links.find((link: Doc) => link.ifname === 'ens7'), ifindex: 90, ifname: 'mv0' }));
    const plan = planRemediation(loadFacts('bare-three'), host, { ...DEFAULT_PLAN_OPTIONS, addMissingAddresses: false });
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'interface-not-found', detail: expect.stringContaining('ens7, mv0') }));
    // ens7's rules, routes and mark stay: nothing is deleted for an ENI that is still attached. The
    // captured host predates the primary's table: that is all the plan adds, its mark beside ens6's.
    expect(body(plan.operations)).toEqual([
      'route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'rule add 4 20000 iif 0a:1b:00:00:00:01 table main',
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'connmark 0x7f 0a:1b:00:00:00:01=0x1 0a:1b:00:00:00:02=0x2',
    ]);
  });

  it('does not count cloud-init’s rule once an earlier rule sends everything to main', () => {
    const host = hostFrom('ubuntu-docker', (doc) => doc.rules4.push({ priority: 32000, src: 'all', table: 'main', protocol: 'static' }));
    const plan = planRemediation(loadFacts('ubuntu-docker'), host);
    expect(body(plan.operations)).toContain('rule add 4 22001 from 10.0.3.0/24 iif lo table 20001');
    expect(plan.findings.filter((finding) => finding.kind === 'satisfied-by-other')).toEqual([]);
  });

  it('keeps the whole-subnet rule out when a foreign rule it would override covers a delegated prefix', () => {
    // Someone routes the prefix 10.0.2.64/28 out of the primary; overrideForeign is off, so host traffic
    // from the prefix must stay theirs: per-IP rules, not `from 10.0.2.0/24 iif lo` ahead of their rule.
    const host = hostFrom('bare-two', (doc) => {
      doc.rules4.push({ priority: 32000, src: '10.0.2.64', srclen: 28, table: '150', protocol: 'static' });
      doc.routes4.push({ dst: 'default', gateway: '10.0.1.1', dev: 'ens5', table: '150', protocol: 'static', flags: [] });
    });
    const plan = planRemediation(loadFacts('prefix'), host);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'conflict', subject: 'rule from 10.0.2.64/28' }));
    expect(body(plan.operations).filter((line) => line.startsWith('rule '))).toEqual(['rule add 4 22000 from 10.0.1.0/24 iif lo table 20000', 'rule add 4 22001 from 10.0.2.20/32 table 20001']);
  });

  it('cannot override a contradicting ec2-net-utils rule that comes before its band, and says so', () => {
    const host = hostFrom('ec2-net-utils', (doc) => {
      const route = doc.routes4.find((r: Doc) => r.table === '10001' && r.dst === 'default');
      route.gateway = '10.0.1.1';
      route.dev = 'ens5';
    });
    const plan = planRemediation(loadFacts('ec2-net-utils'), host, { ...DEFAULT_PLAN_OPTIONS, overrideForeign: true });
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'conflict', manager: 'ec2-net-utils', detail: expect.stringContaining('cannot be overridden') }));
    // Only the primary's table of the other subnet, which ec2-net-utils leaves to main here.
    expect(body(plan.operations)).toEqual([
      'route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
    ]);
  });

  it('neither adds nor removes marking on a converged host once another tool takes the mask’s bits', () => {
    const host = hostFrom('applied', (doc) => doc.firewall.markLines.push('iifname "ens5" meta mark set meta mark | 0x00000004 counter packets 0 bytes 0'));
    const plan = planRemediation(loadFacts('bare-three'), host, { ...DEFAULT_PLAN_OPTIONS, addMissingAddresses: false });
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'mark-bits-in-use' }));
    // The captured host predates the primary's table: it comes, unmarked.
    expect(body(plan.operations)).toEqual([
      'route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
    ]);
  });

  it('plans no marking on a forwarding host without nft or iptables (the agent would refuse the whole plan)', () => {
    const host = hostFrom('bare-two', (doc) => {
      doc.firewall = { backend: 'none', ownTable: null, markLines: [], natLines: [] };
      doc.sysctl.ipForward = '1';
    });
    const plan = planRemediation(loadFacts('bare-two'), host);
    expect(body(plan.operations)).toEqual([
      'route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01',
      'route replace 4 20001 10.0.2.0/24 dev 0a:1b:00:00:00:02',
      'route replace 4 20001 default via 10.0.2.1 dev 0a:1b:00:00:00:02',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
    ]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', subject: 'connmark', detail: expect.stringContaining('neither nft nor iptables') }));
  });

  it('replaces an own table that lost a restore rule', () => {
    const host = hostFrom('applied', (doc) => {
      doc.firewall.ownTable.nftables = doc.firewall.ownTable.nftables.filter((item: Doc) => !(item.rule?.chain === 'output' && item.rule?.comment === 'eni-pbr restore 0x2/0x7f'));
    });
    const plan = planRemediation(loadFacts('bare-three'), host, { ...DEFAULT_PLAN_OPTIONS, addMissingAddresses: false });
    expect(body(plan.operations).filter((line) => line.startsWith('connmark '))).toEqual(['connmark 0x7f 0a:1b:00:00:00:01=0x1 0a:1b:00:00:00:02=0x2 0a:1b:00:00:00:03=0x3']);
  });

  it('reports an ENI whose table falls outside the configured range and plans nothing for it', () => {
    const options = { ...DEFAULT_PLAN_OPTIONS, tableRange: { min: 20000, max: 20001 } };
    const plan = planRemediation(loadFacts('bare-three'), hostFrom('bare-three', () => undefined), options);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', eniId: 'eni-0e7000000000000a7', detail: expect.stringContaining('outside tableRange') }));
    expect(body(plan.operations, options).filter((line) => line.includes('0a:1b:00:00:00:03'))).toEqual([]);
  });

  it('never gives two ENIs one table: device 100 of card 0 would be k = 100 like card 1’s device 0', () => {
    const base = loadFacts('bare-three');
    const [primary, second, third] = base.enis;
    const facts = { ...base, enis: [primary!, { ...second!, deviceIndex: 100 }, { ...third!, networkCardIndex: 1, deviceIndex: 0 }] };
    const plan = planRemediation(facts, hostFrom('bare-three', () => undefined));
    const tables = plan.operations.flatMap((op) => (op.kind === 'route-replace' ? [`${op.table} ${op.mac}`] : []));
    expect([...new Set(tables)]).toEqual(['20000 0a:1b:00:00:00:01', '20100 0a:1b:00:00:00:03']);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', eniId: second!.eniId, detail: expect.stringContaining('device index 100') }));
  });

  it('re-plans nothing after a plan that removes stale pieces and adds new ones in one go', () => {
    // ens7 detached and ens6 gained a prefix: deletions and additions in one plan.
    const facts = loadFacts('prefix');
    const first = planRemediation(facts, hostFrom('detached', () => undefined));
    // (the captured host predates the primary's table: its route and three rules come first)
    expect(first.operations.map((op) => op.kind)).toEqual(['route-replace', 'rule-add', 'rule-add', 'rule-add', 'rule-add', 'connmark-replace', 'rule-del', 'rule-del', 'rule-del']);
    expect(planRemediation(facts, applyPlan(hostFrom('detached', () => undefined), first.operations)).operations).toEqual([]);
  });

  it('leaves a rule in its band without protocol 224 alone and says so (the agent’s proto 224 delete cannot match it)', () => {
    const host = hostFrom('bare-two', (doc) => doc.rules4.push({ priority: 22005, src: '10.9.0.0', srclen: 16, table: '20005' }));
    const plan = planRemediation(loadFacts('bare-two'), host);
    expect(plan.operations.filter((op) => op.kind === 'rule-del')).toEqual([]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', subject: 'rule pref 22005', detail: expect.stringContaining('protocol unspec') }));
  });

  it('counts a right route of another protocol in its table and leaves a stray one alone', () => {
    const host = hostFrom('bare-two', (doc) =>
      doc.routes4.push(
        { dst: 'default', gateway: '10.0.2.1', dev: 'ens6', table: '20001', protocol: 'static', flags: ['onlink'] },
        { dst: '10.0.2.0/24', dev: 'ens6', table: '20001', protocol: 'static', scope: 'link', flags: [] },
        { dst: '192.168.0.0/16', dev: 'ens6', table: '20001', protocol: 'static', scope: 'link', flags: [] },
      ),
    );
    const plan = planRemediation(loadFacts('bare-two'), host);
    expect(body(plan.operations)).toEqual(['route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev 0a:1b:00:00:00:01', 'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000', 'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001']);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'warning', subject: 'route 192.168.0.0/16 table 20001' }));
  });

  it.each<[string, Partial<PlanOptions>]>([
    ['a table range outside the agent window', { tableRange: { min: 100, max: 199 } }],
    ['a priority range reaching main’s rule', { priorityRange: { min: 20000, max: 32766 } }],
    ['an inverted range', { tableRange: { min: 20999, max: 20000 } }],
    ['a mask with a hole', { markMask: 0x5 }],
    ['a zero mask', { markMask: 0 }],
    ['a mask wider than 32 bits', { markMask: 2 ** 33 - 1 }],
  ])('refuses %s before planning', (_what, change) => {
    expect(() => planRemediation(loadFacts('bare-two'), hostFrom('bare-two', () => undefined), { ...DEFAULT_PLAN_OPTIONS, ...change })).toThrow(InvalidPlanOptionsError);
  });
});

describe('the mark of an ENI that cannot be resolved', () => {
  it('is dropped, not named, when the table must be rewritten anyway: the agent refuses unresolvable MACs', () => {
    // ens7's MAC is on two links, and the own table lost a restore rule: it is rewritten without ens7.
    const host = hostFrom('applied', (doc) => {
      doc.links.push({ ...doc.links.find((link: Doc) => link.ifname === 'ens7'), ifindex: 90, ifname: 'mv0' });
      doc.firewall.ownTable.nftables = doc.firewall.ownTable.nftables.filter((item: Doc) => !(item.rule?.chain === 'output' && item.rule?.comment === 'eni-pbr restore 0x2/0x7f'));
    });
    const options = { ...DEFAULT_PLAN_OPTIONS, addMissingAddresses: false };
    const facts = loadFacts('bare-three');
    const plan = planRemediation(facts, host, options);
    expect(body(plan.operations).filter((line) => line.startsWith('connmark '))).toEqual(['connmark 0x7f 0a:1b:00:00:00:01=0x1 0a:1b:00:00:00:02=0x2']);
    expect(planRemediation(facts, applyPlan(host, plan.operations), options).operations).toEqual([]);
  });
  it("adds no secondary IP to a VPC CNI node's interfaces (they are its pods'), and says so", () => {
    const host = hostFrom('applied', (doc) => {
      doc.managers.vpcCni = true;
    });
    const plan = planRemediation(loadFacts('bare-three'), host);
    expect(plan.operations.filter((operation) => operation.kind === 'addr-add')).toEqual([]);
    expect(plan.findings).toContainEqual({
      kind: 'satisfied-by-other',
      eniId: expect.stringMatching(/^eni-/) as string,
      manager: 'vpc-cni',
      subject: '2 secondary IPv4 address(es) of ens6',
      detail: 'the VPC CNI gives them to pods: not added to the host',
    });
    // the same host without the CNI gets them (the case in plan-remediation.test.ts)
    const plain = planRemediation(loadFacts('bare-three'), hostFrom('applied', () => undefined));
    expect(plain.operations.filter((operation) => operation.kind === 'addr-add')).toHaveLength(2);
  });
});
