import { runDocumentLocally } from '../../functions/adapters/local-runner/run-document-locally';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { inspectHost } from './run-agent';

type Json = Record<string, unknown>;

describeAsRoot('agent inspect on a 2-ENI namespace with a Docker-style bridge', () => {
  let host: NamespaceHost;
  let doc: Json;

  beforeAll(async () => {
    host = createNamespaceHost({ enis: 2, tag: 0x35 });
    host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
    host.run(['ip', 'addr', 'add', '10.0.2.11/24', 'dev', 'eth2', 'label', 'eth2:ep']);
    host.run(['ip', 'link', 'add', 'docker0', 'type', 'bridge']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1']);
    host.run(['ip', 'route', 'add', 'default', 'via', '10.0.2.1', 'dev', 'eth2', 'table', '101']);
    host.run(['ip', 'rule', 'add', 'pref', '32765', 'from', '10.0.2.10', 'lookup', '101']);
    host.run(['ip', '-6', 'route', 'add', '2001:db8:2::/64', 'dev', 'eth2', 'table', '101']);
    host.run(['ip', '-6', 'rule', 'add', 'pref', '32000', 'from', '2001:db8:2::10', 'lookup', '101']);
    host.run(['sysctl', '-qw', 'net.ipv4.conf.eth2.rp_filter=2']);
    host.run(['nft', '-f', '-'], 'table ip nat { chain postrouting { type nat hook postrouting priority srcnat; ip saddr 172.17.0.0/16 oifname != "docker0" masquerade; }; }\n');
    doc = await inspectHost(host.ns);
  });
  afterAll(() => host?.destroy());

  it('says which schema and agent wrote it', () => {
    expect(doc).toMatchObject({ schemaVersion: 1, agentVersion: '0.1.0' });
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'agentVersion', 'host', 'links', 'bridges', 'addr', 'rules4', 'rules6', 'routes4', 'routes6', 'firewall', 'sysctl', 'state', 'managers']);
  });

  it('lists both ENIs by MAC and names the bridge', () => {
    const links = doc.links as Json[];
    expect(links.filter((link) => host.macs.includes(link.address as string)).map((link) => link.ifname)).toEqual(['eth1', 'eth2']);
    expect(doc.bridges).toEqual(['docker0']);
  });

  it('carries the addresses with their labels, verbatim from ip -j', () => {
    const eth2 = (doc.addr as Json[]).find((link) => link.ifname === 'eth2') as Json;
    const v4 = (eth2.addr_info as Json[]).filter((info) => info.family === 'inet');
    expect(v4.map((info) => [info.local, info.prefixlen, info.label])).toEqual([
      ['10.0.2.10', 24, 'eth2'],
      ['10.0.2.11', 24, 'eth2:ep'],
    ]);
  });

  it('carries rules and routes of every table', () => {
    expect(doc.rules4).toContainEqual({ priority: 32765, src: '10.0.2.10', table: '101' });
    expect(doc.routes4).toContainEqual(expect.objectContaining({ dst: 'default', gateway: '10.0.2.1', dev: 'eth2', table: '101' }));
    expect(doc.routes4).toContainEqual(expect.objectContaining({ dst: 'default', gateway: '10.0.1.1', dev: 'eth1' }));
  });

  it('reports the nft backend, no own table yet, and the masquerade line', () => {
    expect(doc.firewall).toEqual({
      backend: 'nft',
      ownTable: null,
      markLines: [],
      natLines: ['ip saddr 172.17.0.0/16 oifname != "docker0" masquerade'],
      ownIptables: null,
    });
  });

  it('carries each listing exactly as the separate ip -j command prints it (the agent batches them)', () => {
    const listing = (...args: string[]): unknown => JSON.parse(host.run(['ip', '-j', ...args]));

    expect(doc.links).toEqual(listing('link', 'show'));
    expect(doc.addr).toEqual(listing('addr', 'show'));
    expect(doc.rules4).toEqual(listing('-4', 'rule', 'show'));
    expect(doc.rules6).toEqual(listing('-6', 'rule', 'show'));
    expect(doc.routes4).toEqual(listing('-4', 'route', 'show', 'table', 'all'));
    expect(doc.routes6).toEqual(listing('-6', 'route', 'show', 'table', 'all'));
  });

  it('reports the sysctls for every link', () => {
    const sysctl = doc.sysctl as { ipForward: string; srcValidMark: string; rpFilter: Record<string, string> };
    expect(sysctl.ipForward).toMatch(/^[01]$/);
    expect(sysctl.srcValidMark).toBe('0');
    expect(sysctl.rpFilter).toMatchObject({ all: expect.any(String), default: expect.any(String), eth1: expect.any(String), eth2: '2', docker0: expect.any(String) });
  });

  it('reports every manager as a boolean', () => {
    const managers = doc.managers as Record<string, unknown>;
    expect(Object.keys(managers).sort()).toEqual(['cloudInitHotplug', 'ec2NetUtils', 'netplan', 'networkManager', 'nmCloudSetup', 'systemdNetworkd', 'vpcCni']);
    expect(Object.values(managers).every((value) => typeof value === 'boolean')).toBe(true);
  });

  it('prints one JSON object and nothing else on stdout', async () => {
    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' } });
    expect(run.Status).toBe('Success');
    expect(run.StandardOutputContent.trim().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(run.StandardOutputContent)).not.toThrow();
  });
});
