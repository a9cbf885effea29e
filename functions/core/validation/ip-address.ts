/** Strict textual IP addresses: no leading zeros, no zone ids, no surrounding space. */
const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_PATTERN = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const IPV6_MAX_TEXT = 45; // the longest form, with an embedded IPv4 address

/** 10.0.3.1 → 167773953; null when not a strict dotted quad. */
export function ipv4ToInt(text: string): number | null {
  if (!IPV4_PATTERN.test(text)) return null;
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The eight 16-bit groups of an IPv6 address, or null. */
export function ipv6ToGroups(text: string): number[] | null {
  if (text.length === 0 || text.length > IPV6_MAX_TEXT) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  // A dotted quad may only end the whole address (RFC 4291 2.2.3): `1.2.3.4::1` is not IPv6.
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function parseGroups(part: string, endsAddress: boolean): number[] | null {
  if (part === '') return [];
  const texts = part.split(':');
  const groups: number[] = [];
  for (const [index, group] of texts.entries()) {
    const isLast = endsAddress && index === texts.length - 1;
    if (isLast && group.includes('.')) {
      const v4 = ipv4ToInt(group);
      if (v4 === null) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
    } else if (IPV6_GROUP.test(group)) {
      groups.push(parseInt(group, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/** RFC 5952 text (what iproute2 prints): lower case, longest run of ≥ 2 zero groups compressed. */
export function groupsToIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function canonicalIpv6(text: string): string | null {
  const groups = ipv6ToGroups(text);
  return groups === null ? null : groupsToIpv6(groups);
}
