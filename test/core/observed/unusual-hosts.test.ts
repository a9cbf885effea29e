import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { loadFacts, readInspectFixture } from '../helpers/load-fixtures';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edits of captured ip -j output

// Issue 14, item 5: what the host merely reports must not fail it. The entries below are shaped as
// `ip -j` prints them for a WireGuard tunnel (link_type none, no MAC) and a tun device.
const WIREGUARD_LINK = { ifindex: 9, ifname: 'wg+vpn', flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'], mtu: 1420, qdisc: 'noqueue', operstate: 'UNKNOWN', linkmode: 'DEFAULT', group: 'default', txqlen: 1000, link_type: 'none' };
const WIREGUARD_ADDR = { ...WIREGUARD_LINK, addr_info: [{ family: 'inet', local: '10.200.0.2', prefixlen: 24, scope: 'global', label: 'wg+vpn', valid_life_time: 4294967295, preferred_life_time: 4294967295 }] };
const WIREGUARD_ROUTE = { dst: '10.200.0.0/24', dev: 'wg+vpn', protocol: 'kernel', scope: 'link', prefsrc: '10.200.0.2', flags: [] };
const TUN_LINK = { ifindex: 10, ifname: 'tun@x', flags: ['POINTOPOINT', 'MULTICAST', 'NOARP', 'UP', 'LOWER_UP'], mtu: 1500, qdisc: 'fq_codel', operstate: 'UNKNOWN', linkmode: 'DEFAULT', group: 'default', txqlen: 500, link_type: 'none' };
// An nft set of 400 addresses printed on one line, as `nft list ruleset` does: 5,600 characters.
const LONG_MARK_LINE = `ip daddr { ${Array.from({ length: 400 }, (_, index) => `10.9.${Math.floor(index / 250)}.${index % 250}`).join(', ')} } meta mark set 0x00004000`;

function docWith(edit: (doc: Doc) => void): Doc {
  const doc: Doc = readInspectFixture('ubuntu-docker');
  edit(doc);
  return doc;
}

const unusual = (doc: Doc): void => {
  doc.host.hostname = '(none)';
  doc.links.push(WIREGUARD_LINK, TUN_LINK);
  doc.addr.push(WIREGUARD_ADDR, { ...TUN_LINK, addr_info: [] });
  doc.routes4.push(WIREGUARD_ROUTE);
  doc.rules4.splice(1, 0, { priority: 100, iif: 'tun@x', table: 'main' });
  Object.assign(doc.sysctl.rpFilter, { 'wg+vpn': '0', 'tun@x': '0' });
  doc.firewall.markLines.push(LONG_MARK_LINE);
};

describe('an unusual host', () => {
  it('is read, names and all: a WireGuard tunnel, a tun device, the kernel’s “(none)” host name, a 5,600-character nft line', () => {
    expect(LONG_MARK_LINE.length).toBeGreaterThan(4096);
    const host = parseInspectDocument(docWith(unusual));

    expect(host.hostname).toBe('(none)');
    expect(host.links.map((link) => link.ifname)).toEqual(expect.arrayContaining(['wg+vpn', 'tun@x']));
    expect(host.addresses).toContainEqual({ ifname: 'wg+vpn', family: 4, local: '10.200.0.2', prefixlen: 24, label: 'wg+vpn' });
    expect(host.sysctls.rpFilter).toMatchObject({ 'wg+vpn': 0, 'tun@x': 0 });
    expect(host.firewall.foreignMarkBits & 0x4000).toBe(0x4000); // the long line is still read for the bits it uses
  });

  it('is planned for exactly as it would be without the tunnels', () => {
    const facts = loadFacts('ubuntu-docker');
    const plain = planRemediation(facts, parseInspectDocument(docWith((doc) => doc.firewall.markLines.push('meta mark set 0x00004000'))));
    const plan = planRemediation(facts, parseInspectDocument(docWith(unusual)));

    expect(plan.operations).toEqual(plain.operations);
    expect(renderPlanLines(plan.operations)).not.toMatch(/wg\+vpn|tun@x/);
  });

  it('escapes control characters in what it only reports', () => {
    const host = parseInspectDocument(docWith((doc) => {
      doc.host.hostname = 'ip-10-0-1-40\u001b[2J';
      doc.rules4.push({ priority: 100, iif: 'tun\u0007', table: 'main' });
    }));
    expect(host.hostname).toBe('ip-10-0-1-40\\x1b[2J');
    expect(host.rules).toContainEqual(expect.objectContaining({ iif: 'tun\\x07' }));
  });

  it('leaves alone an ENI whose link has a name the agent refuses, and says why', () => {
    const rename = (doc: Doc): void => {
      for (const entry of [...doc.links, ...doc.addr]) if (entry.ifname === 'enX1') entry.ifname = 'enX1@x';
      for (const route of doc.routes4) if (route.dev === 'enX1') route.dev = 'enX1@x';
    };
    const plan = planRemediation(loadFacts('ubuntu-docker'), parseInspectDocument(docWith(rename)));

    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'interface-not-found', detail: expect.stringContaining('"enX1@x", a name the agent refuses') }));
    expect(renderPlanLines(plan.operations)).not.toContain('0a:ff:00:03:00:9e');
  });

  it('never plans to delete an eni-pbr rule by a name the agent cannot use', () => {
    const doc = docWith((d) => d.rules4.splice(1, 0, { priority: 20002, iif: 'tun@x', table: 'main', protocol: '224' }));
    const plan = planRemediation(loadFacts('ubuntu-docker'), parseInspectDocument(doc));

    expect(renderPlanLines(plan.operations)).not.toContain('iifname');
    expect(plan.findings).toContainEqual(expect.objectContaining({ subject: 'rule pref 20002', detail: expect.stringContaining('never writes') }));
  });
});
