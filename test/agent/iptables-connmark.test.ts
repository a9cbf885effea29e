/**
 * The iptables fallback of `connmark`, on a host where nft is missing (Amazon Linux 2, older RHEL): the
 * agent runs with a PATH that lacks nft and must keep to its own mangle chains.
 *
 *   host ns: eth1, eth2 (up), eth3 (down: an onlink gateway on it fails mid-plan)
 *   mangle PREROUTING holds a foreign rule (-i eth3 -j MARK 0x100) the agent must never touch
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyWithPath, inspectWithPath } from './run-agent-script';
import { planOf } from './run-agent';
import { pathWithout, type PathWithout } from './without-nft';

const FOREIGN = '-A PREROUTING -i eth3 -j MARK --set-xmark 0x100/0xffffffff';

describeAsRoot('connmark through iptables where nft is missing', () => {
  let host: NamespaceHost;
  let noNft: PathWithout;
  let eth1: string;
  let eth2: string;
  let eth3: string;
  const mangle = (): string => host.run(['iptables-save', '-t', 'mangle']).replace(/^#.*\n/gm, '').replace(/\[\d+:\d+\]/g, '[-]');
  const ownLines = (): string[] => mangle().split('\n').filter((line) => line.includes('ENI_PBR'));
  const expectedLines = (pairs: readonly (readonly [string, string, number])[]): string[] => {
    const restore = (mark: number): string =>
      `-m connmark --mark 0x${mark.toString(16)}/0x7f -m comment --comment "eni-pbr restore 0x${mark.toString(16)}/0x7f" -j MARK --set-xmark 0x${mark.toString(16)}/0x7f`;
    return [
      ':ENI_PBR_OUT - [-]',
      ':ENI_PBR_PRE - [-]',
      '-A PREROUTING -j ENI_PBR_PRE',
      '-A OUTPUT -j ENI_PBR_OUT',
      ...pairs.map(([, , mark]) => `-A ENI_PBR_OUT ${restore(mark)}`),
      ...pairs.map(
        ([ifname, mac, mark]) =>
          `-A ENI_PBR_PRE -i ${ifname} -m conntrack --ctstate NEW -m comment --comment "eni-pbr in ${mac} 0x${mark.toString(16)}/0x7f" -j CONNMARK --set-xmark 0x${mark.toString(16)}/0x7f`,
      ),
      ...pairs.map(([, , mark]) => `-A ENI_PBR_PRE ${restore(mark)}`),
    ];
  };

  beforeAll(() => {
    host = createNamespaceHost({ enis: 3, tag: 0x37 });
    noNft = pathWithout(['nft']);
    [eth1, eth2, eth3] = host.macs as [string, string, string];
    host.run(['ip', 'link', 'set', 'eth3', 'down']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    host.run(['iptables', '-w', '5', '-t', 'mangle', '-A', 'PREROUTING', '-i', 'eth3', '-j', 'MARK', '--set-mark', '0x100']);
  });
  afterAll(() => {
    host?.destroy();
    noNft?.remove();
  });

  it('reports the iptables backend and nothing of its own yet', () => {
    const doc = inspectWithPath(host.ns, noNft.path);

    expect(doc.firewall).toMatchObject({ backend: 'iptables', ownTable: null, ownIptables: [] });
    expect((doc.firewall as { markLines: string[] }).markLines).toContain(FOREIGN);
  });

  it('installs its chains, the jumps and one rule per interface and mark in one transaction', () => {
    const { code, output } = applyWithPath(host.ns, noNft.path, planOf(`connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`));

    expect(code).toBe(0);
    expect(output.result).toMatchObject({ status: 'applied', operations: 1, error: null });
    expect(ownLines()).toEqual(expectedLines([['eth1', eth1, 1], ['eth2', eth2, 2]]));
    expect(mangle()).toContain(FOREIGN);
  });

  it('reports its own lines in the inspect document taken after applying', () => {
    const doc = inspectWithPath(host.ns, noNft.path);

    expect((doc.firewall as { ownIptables: string[] }).ownIptables.map((line) => line.replace(/\[\d+:\d+\]/g, '[-]'))).toEqual(
      expectedLines([['eth1', eth1, 1], ['eth2', eth2, 2]]),
    );
  });

  it('changes nothing when the same marking set is applied again', () => {
    const before = mangle();

    const { output } = applyWithPath(host.ns, noNft.path, planOf(`connmark 0x7f ${eth1}=0x1 ${eth2}=0x2`));

    expect(output.result).toMatchObject({ status: 'unchanged', operations: 0 });
    expect(output.result.after).toBe(output.result.before);
    expect(mangle()).toBe(before);
  });

  it('leaves its chains and everything else byte-equal when an operation of the plan fails', () => {
    const before = host.dump();
    const mangleBefore = mangle();

    const { code, output } = applyWithPath(
      host.ns,
      noNft.path,
      planOf(`route replace 4 20003 default via 10.0.3.1 dev ${eth3}`, `connmark 0x7f ${eth2}=0x2`),
    );

    expect(code).toBe(5);
    expect(output.result.status).toBe('rolled-back');
    expect(output.result.after).toBe(output.result.before);
    expect(mangle()).toBe(mangleBefore);
    expect(host.dump()).toBe(before);
  });

  it('replaces the marking set when it changes', () => {
    const { output } = applyWithPath(host.ns, noNft.path, planOf(`connmark 0x7f ${eth2}=0x2`));

    expect(output.result).toMatchObject({ status: 'applied', operations: 1 });
    expect(ownLines()).toEqual(expectedLines([['eth2', eth2, 2]]));
  });

  it('removes its chains and jumps, and nothing else, for an empty marking set', () => {
    const { output } = applyWithPath(host.ns, noNft.path, planOf('connmark 0x7f'));

    expect(output.result).toMatchObject({ status: 'applied', operations: 1 });
    expect(ownLines()).toEqual([]);
    expect(mangle()).toContain(FOREIGN);
  });

  it('refuses connmark with exit 7 where neither nft nor iptables-restore exists', () => {
    const bare = pathWithout(['nft', 'iptables-restore', 'iptables-save']);
    try {
      const before = host.dump();

      const { code, output } = applyWithPath(host.ns, bare.path, planOf(`connmark 0x7f ${eth1}=0x1`));

      expect(code).toBe(7);
      expect(output.result.status).toBe('refused');
      expect(host.dump()).toBe(before);
    } finally {
      bare.remove();
    }
  });
});
