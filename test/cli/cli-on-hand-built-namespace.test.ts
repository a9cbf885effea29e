import { describeAsRoot } from '../helpers/root-only';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../functions/cli/main';
import { EXIT } from '../../functions/cli/exit-codes';

// A host the lab never builds: other addresses, other names (wan0, lan7), a device-index gap, no Docker.
// The CLI must work from its inputs alone.
const suffix = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const host = `epc${suffix}-h`;
const peer = `epc${suffix}-p`;
const instanceId = 'i-0fedcba9876543210';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', timeout: 10_000 });

const eni = (id: string, mac: string, deviceIndex: number, subnet: number, ips: string[]) => ({
  Attachment: { AttachmentId: `eni-attach-0${id}`, DeviceIndex: deviceIndex, NetworkCardIndex: 0, InstanceId: instanceId, Status: 'attached' },
  InterfaceType: 'interface',
  MacAddress: mac,
  NetworkInterfaceId: `eni-0${id}`,
  PrivateIpAddress: ips[0],
  PrivateIpAddresses: ips.map((address, index) => ({ PrivateIpAddress: address, Primary: index === 0 })),
  Ipv4Prefixes: [],
  Ipv6Addresses: [],
  SourceDestCheck: true,
  Status: 'in-use',
  SubnetId: `subnet-0c0ffee00000000${subnet}`,
  VpcId: 'vpc-0c0ffee0000000000',
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describeAsRoot('eni-pbr on a namespace the lab never built', () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-cli-ns-'));
    ip('netns', 'add', host);
    ip('netns', 'add', peer);
    for (const [name, mac, address] of [
      ['wan0', '02:5e:00:00:0a:05', '192.168.10.5/24'],
      ['lan7', '02:5e:00:00:14:07', '192.168.20.7/24'],
    ] as const) {
      ip('-n', host, 'link', 'add', name, 'address', mac, 'type', 'veth', 'peer', 'name', name, 'netns', peer);
      ip('-n', host, 'link', 'set', name, 'up');
      ip('-n', peer, 'link', 'set', name, 'up');
      ip('-n', host, 'addr', 'add', address, 'dev', name);
    }
    ip('-n', host, 'route', 'add', 'default', 'via', '192.168.10.1', 'dev', 'wan0');
    const enis = { NetworkInterfaces: [eni('aaaaaaaaaaaaaaa1', '02:5e:00:00:0a:05', 0, 1, ['192.168.10.5']), eni('aaaaaaaaaaaaaaa2', '02:5e:00:00:14:07', 3, 2, ['192.168.20.7'])] };
    const subnets = {
      Subnets: [
        { SubnetId: 'subnet-0c0ffee000000001', CidrBlock: '192.168.10.0/24', VpcId: 'vpc-0c0ffee0000000000', AvailabilityZone: 'eu-west-3a' },
        { SubnetId: 'subnet-0c0ffee000000002', CidrBlock: '192.168.20.0/24', VpcId: 'vpc-0c0ffee0000000000', AvailabilityZone: 'eu-west-3a' },
      ],
    };
    writeFileSync(join(dir, 'enis.json'), JSON.stringify(enis));
    writeFileSync(join(dir, 'subnets.json'), JSON.stringify(subnets));
    files = ['--enis', join(dir, 'enis.json'), '--subnets', join(dir, 'subnets.json')];
  });

  afterAll(() => {
    for (const ns of [host, peer]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // not created: beforeAll failed early
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('inspects it and names its interfaces as they are', async () => {
    const { code, stdout } = await cli(['inspect', '--netns', host]);

    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/lan7 +02:5e:00:00:14:07 .*192\.168\.20\.7\/24/);
  });

  it('remediates it so the secondary ENI answers from its own address through its own gateway', async () => {
    expect(ip('-n', host, 'route', 'get', '10.9.9.9', 'from', '192.168.20.7')).toMatch(/dev wan0/);

    const { code, stdout } = await cli(['remediate', '--netns', host, ...files]);

    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^verified:/m);
    expect(ip('-n', host, 'route', 'get', '10.9.9.9', 'from', '192.168.20.7')).toMatch(/via 192\.168\.20\.1 dev lan7/);
    expect(ip('-n', host, 'route', 'get', '10.9.9.9', 'from', '192.168.10.5')).toMatch(/via 192\.168\.10\.1 dev wan0/);
  });

  it('then finds nothing missing', async () => {
    expect((await cli(['remediate', '--netns', host, ...files, '--dry-run'])).code).toBe(EXIT.ok);
  });

  it.each([
    ['an instance the ENIs are not attached to', () => ['--netns', host, '--instance-id', 'i-0123456789abcdef0'], EXIT.invalidInput],
    ['a namespace that does not exist', () => ['--netns', `${host}-gone`], EXIT.invalidInput],
    ['the namespaces’ directory as a name', () => ['--netns', '.'], EXIT.invalidInput],
    ['its parent as a name', () => ['--netns', '..'], EXIT.invalidInput],
  ])('refuses %s', async (_, target, code) => {
    expect((await cli(['remediate', ...target(), ...files])).code).toBe(code);
  });
});
