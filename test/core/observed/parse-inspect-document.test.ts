import { InvalidInspectDocumentError } from '../../../functions/core/observed/invalid-inspect-document-error';
import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { readInspectFixture } from '../helpers/load-fixtures';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- hostile edits reach anywhere

describe('parseInspectDocument', () => {
  it('reads the article’s host: cloud-init’s rule and table, Docker’s bridge and NAT', () => {
    const host = parseInspectDocument(readInspectFixture('ubuntu-docker'));
    expect(host.rules).toContainEqual({ family: 4, priority: 32765, src: '10.0.3.158/32', table: '101', protocol: 'static', other: false });
    expect(host.routes).toContainEqual(expect.objectContaining({ family: 4, table: '101', dst: 'default', gateway: '10.0.3.1', dev: 'enX1', protocol: 'static' }));
    expect(host.routes).toContainEqual(expect.objectContaining({ family: 4, table: 'main', dst: '10.0.3.0/24', dev: 'enX1', type: 'unicast' }));
    expect(host.links.find((link) => link.ifname === 'enX1')).toEqual(expect.objectContaining({ mac: '0a:ff:00:03:00:9e', isBridge: false }));
    expect(host.links.find((link) => link.ifname === 'docker0')?.isBridge).toBe(true);
    expect(host.bridges).toEqual(['docker0']);
    expect(host.firewall).toEqual({ backend: 'nft', ownConnmark: null, foreignMarkBits: 0, masquerade: true, dnat: true });
    expect(host.sysctls).toEqual(expect.objectContaining({ ipForward: true, srcValidMark: false }));
    expect(host.sysctls.rpFilter.enX1).toBe(2);
    expect(host.managers.cloudInitHotplug).toBe(true);
  });

  it('reads eni-pbr’s own nft table back through its comments', () => {
    const host = parseInspectDocument(readInspectFixture('applied'));
    expect(host.firewall.ownConnmark).toEqual({
      mask: 0x7f,
      marks: [{ mac: '0a:1b:00:00:00:02', ifname: 'ens6', mark: 2 }, { mac: '0a:1b:00:00:00:03', ifname: 'ens7', mark: 3 }],
      intact: true,
    });
    expect(host.firewall.foreignMarkBits).toBe(0);
    expect(host.rules).toContainEqual({ family: 4, priority: 22001, src: '10.0.2.0/24', iif: 'lo', table: '20001', protocol: '224', other: false });
    expect(host.rules).toContainEqual({ family: 4, priority: 21001, fwmark: 2, fwmask: 0x7f, table: '20001', protocol: '224', other: false });
  });

  it('sees a damaged own table as not intact', () => {
    const doc: Doc = readInspectFixture('applied');
    doc.firewall.ownTable.nftables = doc.firewall.ownTable.nftables.filter((item: Doc) => !(item.rule?.chain === 'output' && item.rule?.comment === 'eni-pbr restore 0x3/0x7f'));
    expect(parseInspectDocument(doc).firewall.ownConnmark?.intact).toBe(false);
  });

  it.each<[string, Doc]>([
    ['a comment the agent never writes', { rule: { chain: 'prerouting', comment: 'eni-pbr in 0a:1b:00:00:00:0; 0x2/0x7f' } }],
    ['no comment', { rule: { chain: 'prerouting', expr: [] } }],
  ])('sees an own table holding a rule with %s as not intact, without reading it', (_what, item) => {
    const doc: Doc = readInspectFixture('applied');
    doc.firewall.ownTable.nftables.push(item);
    expect(parseInspectDocument(doc).firewall.ownConnmark).toEqual(expect.objectContaining({ intact: false, marks: expect.arrayContaining([expect.objectContaining({ mark: 2 })]) }));
  });

  it('sees an own table whose marking rule sits outside prerouting as not intact (the agent marks in prerouting only)', () => {
    const doc: Doc = readInspectFixture('applied');
    const marking = doc.firewall.ownTable.nftables.find((item: Doc) => item.rule?.comment === 'eni-pbr in 0a:1b:00:00:00:02 0x2/0x7f');
    marking.rule.chain = 'output';
    expect(parseInspectDocument(doc).firewall.ownConnmark?.intact).toBe(false);
  });

  it('marks a rule whose interface is gone as detached', () => {
    const host = parseInspectDocument(readInspectFixture('detached'));
    expect(host.rules).toContainEqual({ family: 4, priority: 20002, iif: 'ens7', iifDetached: true, table: 'main', protocol: '224', other: false });
  });

  it('counts the mark bits another tool sets and routes on', () => {
    expect(parseInspectDocument(readInspectFixture('mark-conflict')).firewall.foreignMarkBits).toBe(0x10);
  });

  it('reads the IPv6 router the kernel learned and ec2-net-utils’ /32 alias', () => {
    expect(parseInspectDocument(readInspectFixture('ipv6')).routes).toContainEqual(
      expect.objectContaining({ family: 6, table: 'main', dst: 'default', gateway: 'fe80::62:1ff:fe00:1', dev: 'ens6', protocol: 'ra' }),
    );
    expect(parseInspectDocument(readInspectFixture('ec2-net-utils')).addresses).toContainEqual({ ifname: 'ens6', family: 4, local: '10.0.2.21', prefixlen: 32, label: 'ens6' });
  });

  it('accepts a host name with an underscore (only reported, never planned with)', () => {
    const doc: Doc = readInspectFixture('bare-two');
    doc.host.hostname = 'build_runner-01';
    expect(parseInspectDocument(doc).hostname).toBe('build_runner-01');
  });

  it('marks rules with selectors eni-pbr does not model as other', () => {
    const doc: Doc = readInspectFixture('bare-two');
    doc.rules4.push({ priority: 100, src: 'all', dst: '10.1.0.0', dstlen: 16, table: '6' }, { priority: 101, not: null, src: 'all', fwmark: '0xca6c', table: '51820' });
    const rules = parseInspectDocument(doc).rules.filter((rule) => rule.priority === 100 || rule.priority === 101);
    expect(rules.map((rule) => rule.other)).toEqual([true, true]);
  });

  const hostile: readonly [string, (doc: Doc) => void][] = [
    ['an interface name with a newline', (doc) => (doc.links[1].ifname = 'ens5\nrule')],
    ['an interface name longer than 15 characters', (doc) => (doc.links[1].ifname = 'e'.repeat(16))],
    ['a MAC that is not one', (doc) => (doc.links[1].address = '0a:1b:00:00:00:0g')],
    ['an address with an octet above 255', (doc) => (doc.addr[1].addr_info[0].local = '10.0.1.256')],
    ['an address label longer than any kernel label', (doc) => (doc.addr[1].addr_info[0].label = 'x'.repeat(65))],
    ['an interface name with a colon (the kernel refuses it)', (doc) => (doc.links[1].ifname = 'ens5:1')],
    ['an interface name that is two dots', (doc) => (doc.addr[1].ifname = '..')],
    ['a route device name of 16 bytes in 8 characters', (doc) => (doc.routes4[0].dev = 'éééééééé')],
    ['a host name that is not text', (doc) => (doc.host.hostname = 7)],
    ['a rule source carrying a command', (doc) => (doc.rules4[1].src = '10.0.0.0$(id)')],
    ['a rule table with a semicolon', (doc) => (doc.rules4[1].table = 'main;x')],
    ['a rule mark that is not hex', (doc) => doc.rules4.push({ priority: 5, src: 'all', fwmark: '12; x', table: '5' })],
    ['a route destination with a space', (doc) => (doc.routes4[0].dst = '10.0.0.0/8 via 1.1.1.1')],
    ['a route gateway with an over-long text', (doc) => (doc.routes4[0].gateway = '1'.repeat(100))],
    ['a route device with a slash', (doc) => (doc.routes4[0].dev = '../../etc')],
    ['more than 200 NAT lines', (doc) => (doc.firewall.natLines = new Array(201).fill('masquerade'))],
    ['an rp_filter key with a slash', (doc) => (doc.sysctl.rpFilter['a/b'] = '1')],
    ['a sysctl value out of range', (doc) => (doc.sysctl.srcValidMark = '3')],
    ['a bridge name with a space', (doc) => doc.bridges.push('br 0')],
    ['a manager flag that is not a boolean', (doc) => (doc.managers.vpcCni = 'yes')],
    ['another schema version', (doc) => (doc.schemaVersion = 2)],
    ['a state digest that is not a sha256', (doc) => (doc.state = { digest: 'x'.repeat(64), recovered: [] })],
    ['a recovered apply with an unknown outcome', (doc) => (doc.state = { digest: 'a'.repeat(64), recovered: [{ startedAt: 1, outcome: 'finished?', error: null }] })],
    ['an own-table rule that is null', (doc) => doc.firewall.ownTable.nftables.push({ rule: null })],
    ['an own-table rule that is a string', (doc) => doc.firewall.ownTable.nftables.push({ rule: 'meta mark set 0x1' })],
    ['an own-table rule matching a hostile interface', (doc) => doc.firewall.ownTable.nftables.push({ rule: { chain: 'prerouting', comment: 'eni-pbr in 0a:1b:00:00:00:09 0x9/0x7f', expr: [{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'x$(id)' } }] } })],
  ];

  it.each(hostile)('rejects %s with a typed error', (_what, edit) => {
    const doc: Doc = readInspectFixture('applied');
    edit(doc);
    expect(() => parseInspectDocument(doc)).toThrow(InvalidInspectDocumentError);
  });

  it('reads the owned-state digest and the interrupted applies the agent undid', () => {
    const doc: Doc = readInspectFixture('applied');
    doc.state = { digest: 'a'.repeat(64), recovered: [{ startedAt: 1_796_000_000, outcome: 'rollback-failed', error: 'RTNETLINK answers: File exists\u001b' }] };
    expect(parseInspectDocument(doc).ownedState).toEqual({ digest: 'a'.repeat(64), recovered: [{ startedAt: 1_796_000_000, outcome: 'rollback-failed', error: 'RTNETLINK answers: File exists\\x1b' }] });
  });

  it('names the path of the field whose shape is wrong', () => {
    const doc: Doc = readInspectFixture('applied');
    doc.managers.vpcCni = 'yes';
    expect(() => parseInspectDocument(doc)).toThrow(/unexpected shape: managers\.vpcCni: /);
  });

  it.each<[string, unknown]>([
    ['the gzip envelope (the reader unwraps it first)', { schemaVersion: 1, encoding: 'gzip+base64', payload: 'H4sIAAAA' }],
    ['null', null],
    ['a string', 'schemaVersion: 1'],
  ])('rejects %s', (_what, doc) => {
    expect(() => parseInspectDocument(doc)).toThrow(InvalidInspectDocumentError);
  });
});
