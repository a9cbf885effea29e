/** Free addresses in a subnet, as EC2 hands them out for SecondaryPrivateIpAddressCount. */
function toInt(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function toIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function inSubnet(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = toInt(base);
  return toInt(ip) >= start && toInt(ip) < start + size;
}

/**
 * The lowest `count` addresses of `cidr` not in `used`; AWS reserves the first four (network, router,
 * DNS, future use) and the last of every subnet. Returns fewer when the subnet is full.
 */
export function freeAddresses(cidr: string, used: ReadonlySet<string>, count: number): string[] {
  const [base = '', bits = '32'] = cidr.split('/');
  const start = toInt(base);
  const size = 2 ** (32 - Number(bits));
  const free: string[] = [];
  for (let offset = 4; offset < size - 1 && free.length < count; offset += 1) {
    const ip = toIp(start + offset);
    if (!used.has(ip)) free.push(ip);
  }
  return free;
}
