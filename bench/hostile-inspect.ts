// Adversarial inspect documents for the planner bench (issue 14, item 4): each repeats one entry as many
// times as fits the 24,000 characters GetCommandInvocation returns once gzip+base64'd the way the agent
// does it (gzip -c, level 6), within the decoder's own count bounds. Identical entries compress ~1,000:1,
// so a small output can carry tens of thousands of them: the planner must stay linear in each.
import { gzipSync } from 'node:zlib';

type Doc = Record<string, unknown> & { routes4: unknown[]; rules4: unknown[]; links: unknown[]; addr: Record<string, unknown>[] };

export interface HostileCase {
  readonly name: string;
  readonly count: number;
  readonly chars: number; // the envelope's length, as the agent would print it
  readonly doc: unknown;
}

const STDOUT_LIMIT = 24_000;
// The decoder's bounds (functions/core/observed/inspect-schemas.ts): a longer list is refused whole.
const MAX_ROUTES = 200_000;
const MAX_RULES = 50_000;
const MAX_LINKS = 10_000;
const MAX_ADDRESSES_PER_LINK = 10_000;
const REVIEW_COUNT = 40_000; // the security review's case: 12 s to plan before issue 14

export function envelopeChars(doc: unknown): number {
  const payload = gzipSync(JSON.stringify(doc)).toString('base64');
  return JSON.stringify({ schemaVersion: 1, encoding: 'gzip+base64', payload }).length;
}

/** The largest count ≤ max whose document still fits the stdout limit (sizes grow with the count). */
function largestFitting(max: number, build: (count: number) => unknown): HostileCase & { name: '' } {
  let low = 1;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (envelopeChars(build(mid)) <= STDOUT_LIMIT) low = mid;
    else high = mid - 1;
  }
  const doc = build(low);
  return { name: '', count: low, chars: envelopeChars(doc), doc };
}

const times = <T>(count: number, entry: T): T[] => Array.from({ length: count }, () => entry);

/** The hostile variants of a (realistic) base document: its first link's MAC and name are reused. */
export function hostileCases(base: Doc): HostileCase[] {
  const clone = (): Doc => structuredClone(base);
  const first = base.links[0] as { ifname: string; address: string };
  const variants: [string, number, (count: number) => unknown][] = [
    ['identical default routes in main', MAX_ROUTES, (count) => ({ ...clone(), routes4: [...base.routes4, ...times(count, { dst: 'default', gateway: '10.0.0.1', dev: first.ifname, protocol: 'dhcp', metric: 100, flags: [] })] })],
    ['identical own-table routes (protocol 224)', MAX_ROUTES, (count) => ({ ...clone(), routes4: [...base.routes4, ...times(count, { dst: '192.0.2.0/24', dev: first.ifname, table: '20001', protocol: '224', scope: 'link', flags: [] })] })],
    ['identical foreign from-rules', MAX_RULES - base.rules4.length, (count) => ({ ...clone(), rules4: [...times(count, { priority: 100, src: '192.168.0.0', srclen: 16, table: '100' }), ...base.rules4] })],
    ['links sharing one MAC in group 224', MAX_LINKS - base.links.length, (count) => {
      const extra = Array.from({ length: count }, (_, index) => ({ ifindex: 1000 + index, ifname: `mv${index}`, group: '224', link_type: 'ether', address: '02:00:00:00:00:01', flags: [] }));
      return { ...clone(), links: [...base.links, ...extra] };
    }],
    ['addresses on one link', MAX_ADDRESSES_PER_LINK - 4, (count) => {
      const doc = clone();
      const link = doc.addr[0] as { addr_info: unknown[] };
      link.addr_info = [...link.addr_info, ...times(count, { family: 'inet', local: '192.0.2.7', prefixlen: 24, scope: 'global' })];
      return doc;
    }],
  ];
  const review = variants[0]?.[2](REVIEW_COUNT);
  return [
    { name: 'identical default routes in main (the review)', count: REVIEW_COUNT, chars: envelopeChars(review), doc: review },
    ...variants.map(([name, max, build]) => ({ ...largestFitting(max, build), name })),
  ];
}
