import { cidrContains, hasZeroHostBits, ipv4BasePlusOne, networkOf, parseCidr } from '../../../functions/core/validation/cidr';
import { canonicalIpv6, ipv4ToInt } from '../../../functions/core/validation/ip-address';

describe('ipv4ToInt', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.3.158', 167773086],
    ['255.255.255.255', 4294967295],
  ])('reads %s', (text, value) => expect(ipv4ToInt(text)).toBe(value));

  it.each(['256.0.0.1', '10.0.3', '10.0.3.1.5', '010.0.3.1', '10.0.3.1 ', ' 10.0.3.1', '10.0.3.-1', '10.0.3.1/24', '1e1.0.0.1', ''])('refuses %j', (text) => {
    expect(ipv4ToInt(text)).toBeNull();
  });
});

describe('canonicalIpv6', () => {
  it.each([
    ['2600:1F18:0A1B:5602:0000:0000:0000:0020', '2600:1f18:a1b:5602::20'],
    ['fe80:0:0:0:62:1ff:fe00:1', 'fe80::62:1ff:fe00:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group stays (RFC 5952 4.2.2)
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run is compressed
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'], // the first of equal runs
  ])('writes %s as iproute2 prints it: %s', (text, canonical) => expect(canonicalIpv6(text)).toBe(canonical));

  it.each(['fe80::1%ens6', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', ':::', '1:2:3:4:5:6:7::8', '', '1.2.3.4::1', '1.2.3.4::', '::1.2.3.4:5', '1:2:3:4:5:6:1.2.3.4:8'])('refuses %j', (text) => {
    expect(canonicalIpv6(text)).toBeNull();
  });
});

describe('CIDRs', () => {
  it('finds the network and its gateway (base + 1)', () => {
    const cidr = parseCidr('172.31.5.77/20');
    expect(cidr && networkOf(cidr)).toEqual({ family: 4, address: '172.31.0.0', prefixlen: 20 });
    expect(cidr && ipv4BasePlusOne(cidr)).toBe('172.31.0.1');
  });

  it('tells host bits and containment apart for both families', () => {
    const v4 = parseCidr('10.0.2.64/28');
    const v6 = parseCidr('2600:1f18:a1b:5602::/64');
    expect(v4 && hasZeroHostBits(v4)).toBe(true);
    expect(hasZeroHostBits(parseCidr('10.0.2.65/28') ?? v4!)).toBe(false);
    expect(v4 && [cidrContains(v4, '10.0.2.79', 4), cidrContains(v4, '10.0.2.80', 4), cidrContains(v4, '10.0.2.79', 6)]).toEqual([true, false, false]);
    expect(v6 && [cidrContains(v6, '2600:1f18:a1b:5602::20', 6), cidrContains(v6, '2600:1f18:a1b:5603::20', 6)]).toEqual([true, false]);
  });

  it.each(['10.0.2.0/33', '10.0.2.0/', '10.0.2.0/08', '10.0.2.0/-1', '::/129', '10.0.2.0/24/1'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('reads a bare address as a host route only when asked to', () => {
    expect(parseCidr('10.0.3.5')).toBeNull();
    expect(parseCidr('10.0.3.5', true)).toEqual({ family: 4, address: '10.0.3.5', prefixlen: 32 });
  });
});
