import { InvalidEc2FactsError } from '../../../functions/core/ec2/invalid-ec2-facts-error';
import { parseInstanceFacts } from '../../../functions/core/ec2/parse-instance-facts';
import { InvalidValueError } from '../../../functions/core/validation/invalid-value-error';
import { readEc2Fixture } from '../helpers/load-fixtures';

type Input = ReturnType<typeof readEc2Fixture>;
type RawEni = Record<string, unknown> & { Attachment: Record<string, unknown> };

/** bare-two's input with its second ENI (ens6) changed by `edit`. */
function withSecondEni(edit: (eni: RawEni, input: Input) => void): Input {
  const input = readEc2Fixture('bare-two');
  const interfaces = (input.describeNetworkInterfaces as { NetworkInterfaces: RawEni[] }).NetworkInterfaces;
  const second = interfaces[1];
  if (second === undefined) throw new Error('fixture bare-two lost its second ENI');
  edit(second, input);
  return input;
}

function setSecondSubnet(input: Input, cidr: string): void {
  const subnets = (input.describeSubnets as { Subnets: { CidrBlock: string }[] }).Subnets;
  subnets[1]!.CidrBlock = cidr;
}

describe('parseInstanceFacts', () => {
  it('reduces DescribeNetworkInterfaces and DescribeSubnets to the facts routing needs', () => {
    const facts = parseInstanceFacts(readEc2Fixture('bare-three'));
    expect(facts.instanceId).toBe('i-0a1b2c3d4e5f60718');
    expect(facts.excluded).toEqual([]);
    expect(facts.enis[1]).toEqual({
      eniId: 'eni-0e6000000000000a6',
      macAddress: '0a:1b:00:00:00:02',
      deviceIndex: 1,
      networkCardIndex: 0,
      interfaceType: 'interface',
      subnetId: 'subnet-0aaa0000000000002',
      vpcId: 'vpc-0f00000000000000a',
      subnetCidr: '10.0.2.0/24',
      gateway: '10.0.2.1',
      primaryIpv4: '10.0.2.20',
      secondaryIpv4: ['10.0.2.21', '10.0.2.22'],
      ipv4Prefixes: [],
      ipv6Addresses: [],
      sourceDestCheck: true,
    });
  });

  it('takes the gateway from the ENI’s own subnet, even in another VPC', () => {
    const eni = parseInstanceFacts(readEc2Fixture('multi-vpc')).enis[1];
    expect([eni?.vpcId, eni?.subnetCidr, eni?.gateway]).toEqual(['vpc-0f00000000000000b', '172.31.5.0/24', '172.31.5.1']);
  });

  it('reads network card, delegated prefixes and IPv6 addresses', () => {
    expect(parseInstanceFacts(readEc2Fixture('multi-card')).enis.map((eni) => [eni.networkCardIndex, eni.deviceIndex])).toEqual([[0, 0], [1, 0]]);
    expect(parseInstanceFacts(readEc2Fixture('prefix')).enis[1]?.ipv4Prefixes).toEqual(['10.0.2.64/28']);
    expect(parseInstanceFacts(readEc2Fixture('ipv6')).enis.map((eni) => eni.ipv6Addresses)).toEqual([['2600:1f18:a1b:5601::10'], ['2600:1f18:a1b:5602::20'], ['2600:1f18:a1b:5603::30']]);
  });

  it('excludes EFA-only, trunk and not-yet-attached ENIs with a reason and ignores other instances’ ENIs', () => {
    const facts = parseInstanceFacts(readEc2Fixture('excluded'));
    expect(facts.enis.map((eni) => eni.eniId)).toEqual(['eni-0e5000000000000a5', 'eni-0e6000000000000a6']);
    expect(facts.excluded.map((excluded) => [excluded.eniId, excluded.reason])).toEqual([
      ['eni-0e7000000000000a7', 'efa-only'],
      ['eni-0e8000000000000a8', 'trunk'],
      ['eni-0e9000000000000a9', 'not-attached'],
    ]);
  });

  it('excludes an ENI of an IPv6-only subnet instead of refusing the whole instance', () => {
    const facts = parseInstanceFacts(
      withSecondEni((eni, input) => {
        eni.SubnetId = 'subnet-0ccc0000000000006';
        delete eni.PrivateIpAddress;
        eni.PrivateIpAddresses = [];
        eni.Ipv6Addresses = [{ Ipv6Address: '2600:1f18:a1b:5606::20' }];
        (input.describeSubnets as { Subnets: unknown[] }).Subnets.push({ SubnetId: 'subnet-0ccc0000000000006', Ipv6Native: true, Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18:a1b:5606::/64' }] });
      }),
    );
    expect(facts.enis.map((eni) => eni.eniId)).toEqual(['eni-0e5000000000000a5']);
    expect(facts.excluded).toEqual([{ eniId: 'eni-0e6000000000000a6', reason: 'ipv6-only', detail: expect.any(String) }]);
  });

  it('ignores an ENI that is no longer attached to anything', () => {
    expect(parseInstanceFacts(readEc2Fixture('detached')).enis.map((eni) => eni.macAddress)).toEqual(['0a:1b:00:00:00:01', '0a:1b:00:00:00:02']);
  });

  it('normalises an upper-case MAC and an uncompressed IPv6 address', () => {
    const facts = parseInstanceFacts(
      withSecondEni((eni) => {
        eni.MacAddress = '0A:1B:00:00:00:02';
        eni.Ipv6Addresses = [{ Ipv6Address: '2600:1F18:0A1B:5602:0000:0000:0000:0020' }];
      }),
    );
    expect([facts.enis[1]?.macAddress, facts.enis[1]?.ipv6Addresses]).toEqual(['0a:1b:00:00:00:02', ['2600:1f18:a1b:5602::20']]);
  });

  const hostile: readonly [string, (eni: RawEni, input: Input) => void][] = [
    ['a MAC carrying a command substitution', (eni) => (eni.MacAddress = '$(reboot)')],
    ['a MAC with a semicolon', (eni) => (eni.MacAddress = '0a:1b:00:00:00:02;reboot')],
    ['a MAC with a newline', (eni) => (eni.MacAddress = '0a:1b:00:00:00:02\nroute del')],
    ['a MAC with a fourth octet group missing', (eni) => (eni.MacAddress = '0a:1b:00:00:02')],
    ['an over-long MAC', (eni) => (eni.MacAddress = '0a:'.repeat(10_000))],
    ['a private IP with an octet above 255', (eni) => (eni.PrivateIpAddress = '10.0.2.256')],
    ['a private IP with a leading zero', (eni) => (eni.PrivateIpAddress = '10.0.2.020')],
    ['a private IP outside the subnet', (eni) => (eni.PrivateIpAddress = '10.0.3.20')],
    ['a secondary IP carrying a command', (eni) => (eni.PrivateIpAddresses = [{ Primary: false, PrivateIpAddress: '10.0.2.21 $(id)' }])],
    ['a prefix with host bits', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.2.65/28' }])],
    ['a prefix longer than /32', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.2.64/33' }])],
    ['a prefix covering everything (it would become `from 0.0.0.0/0`)', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '0.0.0.0/0' }])],
    ['a prefix outside the ENI’s subnet', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.3.64/28' }])],
    ['a prefix wider than the ENI’s subnet', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.0.0/16' }])],
    ['an IPv6 address with a zone', (eni) => (eni.Ipv6Addresses = [{ Ipv6Address: 'fe80::1%ens6' }])],
    ['an ENI id carrying a newline', (eni) => (eni.NetworkInterfaceId = 'eni-0e6000000000000a6\nx')],
    ['a subnet id with a semicolon', (eni) => (eni.SubnetId = 'subnet-0aaa0000000000002;')],
    ['a device index that is not an integer', (eni) => (eni.Attachment.DeviceIndex = 1.5)],
    ['a negative network card index', (eni) => (eni.Attachment.NetworkCardIndex = -1)],
    ['a subnet CIDR with host bits', (_eni, input) => ((input.describeSubnets as { Subnets: { CidrBlock: string }[] }).Subnets[1]!.CidrBlock = '10.0.2.1/24')],
    ['a subnet CIDR covering everything (its gateway would be 0.0.0.1)', (_eni, input) => ((input.describeSubnets as { Subnets: { CidrBlock: string }[] }).Subnets[1]!.CidrBlock = '0.0.0.0/0')],
    ['a subnet CIDR wider than EC2’s /16', (_eni, input) => ((input.describeSubnets as { Subnets: { CidrBlock: string }[] }).Subnets[1]!.CidrBlock = '10.0.0.0/8')],
    ['a subnet CIDR narrower than EC2’s /28', (_eni, input) => ((input.describeSubnets as { Subnets: { CidrBlock: string }[] }).Subnets[1]!.CidrBlock = '10.0.2.20/30')],
    ['a subnet missing from DescribeSubnets', (eni) => (eni.SubnetId = 'subnet-0aaa000000000000f')],
    ['two ENIs on one device index', (eni) => (eni.Attachment.DeviceIndex = 0)],
    ['an ENI without a private IP in a subnet with an IPv4 CIDR', (eni) => delete eni.PrivateIpAddress],
    // Issue 14: facts no real VPC can hold (bare-two's second ENI lives in 10.0.2.0/24).
    ['a secondary IP equal to the subnet’s router', (eni) => (eni.PrivateIpAddresses = [{ Primary: true, PrivateIpAddress: '10.0.2.20' }, { Primary: false, PrivateIpAddress: '10.0.2.1' }])],
    ['a secondary IP equal to the subnet’s DNS server', (eni) => (eni.PrivateIpAddresses = [{ Primary: false, PrivateIpAddress: '10.0.2.2' }])],
    ['a secondary IP equal to the reserved base + 3', (eni) => (eni.PrivateIpAddresses = [{ Primary: false, PrivateIpAddress: '10.0.2.3' }])],
    ['a secondary IP equal to the network address', (eni) => (eni.PrivateIpAddresses = [{ Primary: false, PrivateIpAddress: '10.0.2.0' }])],
    ['a primary IP equal to the broadcast address', (eni) => (eni.PrivateIpAddress = '10.0.2.255')],
    ['a subnet in link-local 169.254.0.0/16', (eni, input) => {
      setSecondSubnet(input, '169.254.0.0/24');
      eni.PrivateIpAddress = '169.254.0.20';
      eni.PrivateIpAddresses = [];
    }],
    ['a subnet in loopback 127.0.0.0/8', (eni, input) => {
      setSecondSubnet(input, '127.0.2.0/24');
      eni.PrivateIpAddress = '127.0.2.20';
      eni.PrivateIpAddresses = [];
    }],
    ['a subnet in multicast 224.0.0.0/4', (eni, input) => {
      setSecondSubnet(input, '239.0.2.0/24');
      eni.PrivateIpAddress = '239.0.2.20';
      eni.PrivateIpAddresses = [];
    }],
    ['a subnet in 0.0.0.0/8', (_eni, input) => setSecondSubnet(input, '0.0.2.0/24')],
    ['a delegated prefix other than /28', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.2.64/27' }])],
    ['a delegated prefix over the subnet’s router', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.2.0/28' }])],
    ['a delegated prefix over the broadcast address', (eni) => (eni.Ipv4Prefixes = [{ Ipv4Prefix: '10.0.2.240/28' }])],
    ['a link-local IPv6 address', (eni) => (eni.Ipv6Addresses = [{ Ipv6Address: 'fe80::20' }])],
    ['the unspecified IPv6 address', (eni) => (eni.Ipv6Addresses = [{ Ipv6Address: '::' }])],
    ['an IPv4-mapped IPv6 address', (eni) => (eni.Ipv6Addresses = [{ Ipv6Address: '::ffff:169.254.169.254' }])],
    ['the MAC of another ENI', (eni) => (eni.MacAddress = '0a:1b:00:00:00:01')],
    ['a subnet without a CIDR that does not say it is IPv6-only', (_eni, input) => delete (input.describeSubnets as { Subnets: Record<string, unknown>[] }).Subnets[1]!.CidrBlock],
  ];

  it.each(hostile)('rejects %s with a typed error', (_what, edit) => {
    expect(() => parseInstanceFacts(withSecondEni(edit))).toThrow(InvalidEc2FactsError);
  });

  it.each<[string, (eni: RawEni, input: Input) => void, RegExp]>([
    ['the router', (eni) => (eni.PrivateIpAddresses = [{ Primary: false, PrivateIpAddress: '10.0.2.1' }]), /PrivateIpAddresses\[0\]: the VPC router \(base \+ 1\) of 10\.0\.2\.0\/24, which EC2 reserves/],
    ['link-local', (_eni, input) => setSecondSubnet(input, '169.254.2.0/24'), /Subnets\[1\]\.CidrBlock: in 169\.254\.0\.0\/16 \(link-local.*no VPC can hold/],
    ['a shared MAC', (eni) => (eni.MacAddress = '0a:1b:00:00:00:01'), /eni-0e5000000000000a5 and eni-0e6000000000000a6 both report MAC 0a:1b:00:00:00:01/],
  ])('says why it refuses %s', (_what, edit, message) => {
    expect(() => parseInstanceFacts(withSecondEni(edit))).toThrow(message);
  });

  it('keeps the field that failed as the cause and quotes only an excerpt of it', () => {
    const input = withSecondEni((eni) => (eni.MacAddress = `$(${'x'.repeat(5000)})`));
    const error = (() => {
      try {
        parseInstanceFacts(input);
      } catch (caught) {
        return caught as InvalidEc2FactsError;
      }
      throw new Error('no error');
    })();
    expect(error.cause).toBeInstanceOf(InvalidValueError);
    expect((error.cause as InvalidValueError).field).toBe('NetworkInterfaces[1].MacAddress');
    expect(error.message.length).toBeLessThan(200);
  });

  it.each<[string, Partial<Input>]>([
    ['an instance id that is not one', { instanceId: 'i-0a1b; reboot' }],
    ['output of another call', { describeNetworkInterfaces: { Reservations: [] } }],
    ['no output at all', { describeSubnets: null }],
  ])('rejects %s', (_what, change) => {
    expect(() => parseInstanceFacts({ ...readEc2Fixture('bare-two'), ...change })).toThrow(InvalidEc2FactsError);
  });
});
