import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { readInspectFixture } from '../helpers/load-fixtures';

// What `ip -N -j` prints instead of iproute2's names (checked with iproute2 6.1: main → "254",
// static → "4", link → "253", local → "2"…), so the parser must read both spellings alike.
const NUMBERS: Record<string, Record<string, string>> = {
  table: { main: '254', local: '255', default: '253' },
  protocol: { kernel: '2', boot: '3', static: '4', ra: '9', dhcp: '16' },
  scope: { global: '0', link: '253', host: '254' },
  type: { unicast: '1', local: '2', broadcast: '3', anycast: '4', multicast: '5', blackhole: '6', unreachable: '7', prohibit: '8', throw: '9' },
};

function numeric(entries: unknown): unknown {
  if (!Array.isArray(entries)) return entries;
  return entries.map((entry: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, typeof value === 'string' ? (NUMBERS[key]?.[value] ?? value) : value])),
  );
}

describe('parseInspectDocument with ip -N output', () => {
  it.each(['ubuntu-docker', 'ec2-net-utils', 'ipv6', 'applied', 'detached'])('reads %s the same in numbers as in names', (name) => {
    // Prepare
    const named = readInspectFixture(name);
    const spelledInNumbers = { ...named, rules4: numeric(named.rules4), rules6: numeric(named.rules6), routes4: numeric(named.routes4), routes6: numeric(named.routes6) };
    // Act
    const fromNumbers = parseInspectDocument(spelledInNumbers);
    // Assess
    expect(JSON.stringify(spelledInNumbers)).not.toEqual(JSON.stringify(named));
    expect(fromNumbers).toEqual(parseInspectDocument(named));
  });
});

describe('parseInspectDocument with names that are Object.prototype keys', () => {
  // rt_tables and rt_protos may name anything; the name must come back as text, never as an inherited member.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('reads a table, protocol, scope and type called %s as that text', (name) => {
    // Prepare
    const doc = readInspectFixture('bare-two') as { rules4: unknown[]; routes4: unknown[] };
    doc.rules4.push({ priority: 5, src: 'all', table: name, protocol: name });
    doc.routes4.push({ dst: '10.9.0.0/16', dev: 'ens6', table: name, protocol: name, scope: name, type: name });
    // Act
    const host = parseInspectDocument(doc);
    // Assess
    expect(host.rules.find((rule) => rule.priority === 5)).toEqual(expect.objectContaining({ table: name, protocol: name }));
    expect(host.routes.find((route) => route.dst === '10.9.0.0/16')).toEqual(expect.objectContaining({ table: name, protocol: name, scope: name, type: name }));
  });
});
