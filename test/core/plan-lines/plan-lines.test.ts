import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { PlanOperation } from '../../../functions/core/model/plan-operation';
import { InvalidPlanLineError } from '../../../functions/core/plan-lines/invalid-plan-line-error';
import { parsePlanLines } from '../../../functions/core/plan-lines/parse-plan-lines';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';

const HEADER = 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999';
const MAC = '0a:1b:00:00:00:02';

/** One operation of every kind and selector, with the line docs/agent-protocol.md gives for it. */
const everyOperation: readonly [PlanOperation, string][] = [
  [{ kind: 'addr-add', mac: MAC, cidr: '10.0.2.21/24' }, `addr add ${MAC} 10.0.2.21/24`],
  [{ kind: 'addr-del', mac: MAC, cidr: '10.0.2.21/32' }, `addr del ${MAC} 10.0.2.21/32`],
  [{ kind: 'route-replace', family: 4, table: 20001, dst: '10.0.2.0/24', mac: MAC }, `route replace 4 20001 10.0.2.0/24 dev ${MAC}`],
  [{ kind: 'route-replace', family: 4, table: 20001, dst: 'default', via: '10.0.2.1', mac: MAC }, `route replace 4 20001 default via 10.0.2.1 dev ${MAC}`],
  [{ kind: 'route-replace', family: 6, table: 20001, dst: 'default', via: 'fe80::1', mac: MAC }, `route replace 6 20001 default via fe80::1 dev ${MAC}`],
  [{ kind: 'route-replace', family: 4, table: 20000, dst: '10.0.3.0/24', via: '10.0.1.1', mac: MAC }, `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${MAC}`],
  [{ kind: 'route-del', family: 4, table: 20002, dst: '10.0.3.0/24' }, 'route del 4 20002 10.0.3.0/24'],
  [{ kind: 'route-del', family: 6, table: 20002, dst: 'default' }, 'route del 6 20002 default'],
  [{ kind: 'rule-add', family: 4, priority: 22001, selector: { from: '10.0.2.0/24', localOnly: true }, table: 20001 }, 'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001'],
  [{ kind: 'rule-add', family: 4, priority: 22001, selector: { from: '10.0.2.20/32' }, table: 20001 }, 'rule add 4 22001 from 10.0.2.20/32 table 20001'],
  [{ kind: 'rule-add', family: 6, priority: 22001, selector: { from: '2600:1f18:a1b:5602::20/128' }, table: 20001 }, 'rule add 6 22001 from 2600:1f18:a1b:5602::20/128 table 20001'],
  [{ kind: 'rule-add', family: 4, priority: 21001, selector: { fwmark: 0x2, mask: 0x7f }, table: 20001 }, 'rule add 4 21001 fwmark 0x2/0x7f table 20001'],
  [{ kind: 'rule-add', family: 4, priority: 20001, selector: { iifMac: MAC }, table: 'main' }, `rule add 4 20001 iif ${MAC} table main`],
  [{ kind: 'rule-del', family: 4, priority: 22002, selector: { from: '10.0.3.0/24', localOnly: true }, table: 20002 }, 'rule del 4 22002 from 10.0.3.0/24 iif lo table 20002'],
  [{ kind: 'rule-del', family: 4, priority: 22002, selector: { from: '10.0.2.21/32' }, table: 20002 }, 'rule del 4 22002 from 10.0.2.21/32 table 20002'],
  [{ kind: 'rule-del', family: 4, priority: 21002, selector: { fwmark: 0x3, mask: 0x7f }, table: 20002 }, 'rule del 4 21002 fwmark 0x3/0x7f table 20002'],
  [{ kind: 'rule-del', family: 4, priority: 20002, selector: { iifName: 'ens7' }, table: 'main' }, 'rule del 4 20002 iifname ens7 table main'],
  [{ kind: 'link-group', mac: MAC, group: 224 }, `link group ${MAC} 224`],
  [{ kind: 'link-group', mac: MAC, group: 0 }, `link group ${MAC} 0`],
  [{ kind: 'rule-add', family: 4, priority: 20999, selector: { suppressIfgroup: 224 }, table: 'main' }, 'rule add 4 20999 suppress-ifgroup 224 table main'],
  [{ kind: 'rule-del', family: 6, priority: 20999, selector: { suppressIfgroup: 224 }, table: 'main' }, 'rule del 6 20999 suppress-ifgroup 224 table main'],
  [{ kind: 'sysctl-set', key: 'net.ipv4.conf.all.src_valid_mark', value: 1 }, 'sysctl net.ipv4.conf.all.src_valid_mark 1'],
  [{ kind: 'connmark-replace', mask: 0x7f, marks: [{ mac: MAC, mark: 0x2 }, { mac: '0a:1b:00:00:00:03', mark: 0x3 }] }, `connmark 0x7f ${MAC}=0x2 0a:1b:00:00:00:03=0x3`],
  [{ kind: 'connmark-replace', mask: 0x3f00, marks: [] }, 'connmark 0x3f00'],
];

describe('renderPlanLines', () => {
  it('renders the header alone for an empty plan', () => {
    expect(renderPlanLines([])).toBe(`${HEADER}\n`);
  });

  it.each(everyOperation)('renders %j as the protocol line', (op, line) => {
    expect(renderPlanLines([op])).toBe(`${HEADER}\n${line}\n`);
  });

  it('repeats the configured ranges in the header', () => {
    const options = { ...DEFAULT_PLAN_OPTIONS, tableRange: { min: 25000, max: 25999 }, priorityRange: { min: 26000, max: 28999 } };
    expect(renderPlanLines([], options)).toBe('eni-pbr-plan 1 tables=25000-25999 prefs=26000-28999\n');
  });

  it.each<[string, PlanOperation]>([
    ['a table outside the header range', { kind: 'route-del', family: 4, table: 21000, dst: 'default' }],
    ['a priority outside the header range', { kind: 'rule-add', family: 4, priority: 23000, selector: { from: '10.0.2.0/24' }, table: 20001 }],
    ['a CIDR with host bits', { kind: 'rule-add', family: 4, priority: 22001, selector: { from: '10.0.2.20/24' }, table: 20001 }],
    ['a mark outside its mask', { kind: 'rule-add', family: 4, priority: 21001, selector: { fwmark: 0x80, mask: 0x7f }, table: 20001 }],
    ['an upper-case MAC', { kind: 'addr-add', mac: '0A:1B:00:00:00:02', cidr: '10.0.2.21/24' }],
    ['a MAC carrying a command', { kind: 'addr-add', mac: '$(reboot)', cidr: '10.0.2.21/24' }],
    ['an interface name with a semicolon', { kind: 'rule-del', family: 4, priority: 20002, selector: { iifName: 'ens7;reboot' }, table: 'main' }],
  ])('refuses to render %s', (_what, op) => {
    expect(() => renderPlanLines([op])).toThrow(InvalidPlanLineError);
  });
});

describe('parsePlanLines', () => {
  it('reads back every operation it renders', () => {
    const ops = everyOperation.map(([op]) => op);
    expect(ops.map((op) => parsePlanLines(renderPlanLines([op]))[0])).toEqual(ops);
  });

  it.each([
    ['sysctl', 'sysctl net.ipv4.conf.all.src_valid_mark 1'],
    ['connmark', 'connmark 0x7f'],
  ])('refuses a second %s line on its line, as the agent does (one value, one whole marking set)', (_kind, line) => {
    expect(() => parsePlanLines(`${HEADER}\n${line}\n${line}\n`)).toThrow('plan line 3: more than one');
  });

  it('reads an empty plan as no operations', () => {
    expect(parsePlanLines(`${HEADER}\n`)).toEqual([]);
  });

  it.each<[string, string]>([
    ['no header', `addr add ${MAC} 10.0.2.21/24\n`],
    ['another version', 'eni-pbr-plan 2 tables=20000-20999 prefs=20000-22999\n'],
    ['a header table range outside the agent window', 'eni-pbr-plan 1 tables=100-200 prefs=20000-22999\n'],
    ['a header priority range outside the agent window', 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-32766\n'],
    ['no final newline', HEADER],
    ['a command substitution', `${HEADER}\naddr add ${MAC} $(reboot)\n`],
    ['a semicolon', `${HEADER}\nroute del 4 20001 default;reboot\n`],
    ['a carriage return', `${HEADER}\nroute del 4 20001 default\r\n`],
    ['two spaces', `${HEADER}\nroute del 4  20001 default\n`],
    ['an empty line', `${HEADER}\n\n`],
    ['upper case', `${HEADER}\nROUTE del 4 20001 default\n`],
    ['an unknown operation', `${HEADER}\nlink set ${MAC} down\n`],
    ['an extra field', `${HEADER}\nroute del 4 20001 default now\n`],
    ['a table outside the header range', `${HEADER}\nroute del 4 254 default\n`],
    ['a leading zero', `${HEADER}\nroute del 4 020001 default\n`],
    ['a priority outside the header range', `${HEADER}\nrule add 4 32765 from 10.0.2.0/24 table 20001\n`],
    ['an octet above 255', `${HEADER}\nrule add 4 22001 from 10.0.256.0/24 table 20001\n`],
    ['a prefix length above 32', `${HEADER}\nrule add 4 22001 from 10.0.2.0/33 table 20001\n`],
    ['host bits in a rule CIDR', `${HEADER}\nrule add 4 22001 from 10.0.2.20/24 table 20001\n`],
    ['a bare address where a CIDR belongs', `${HEADER}\nrule add 4 22001 from 10.0.2.20 table 20001\n`],
    ['an IPv4 CIDR on an IPv6 rule', `${HEADER}\nrule add 6 22001 from 10.0.2.0/24 table 20001\n`],
    ['a non-canonical IPv6 CIDR', `${HEADER}\nrule add 6 22001 from 2600:1f18:a1b:5602:0:0:0:20/128 table 20001\n`],
    ['table main on a from rule', `${HEADER}\nrule add 4 22001 from 10.0.2.0/24 table main\n`],
    ['a numeric table on an iif rule', `${HEADER}\nrule add 4 20001 iif ${MAC} table 20001\n`],
    ['an iif rule naming an interface instead of a MAC', `${HEADER}\nrule add 4 20001 iif ens6 table main\n`],
    ['iif other than lo on a from rule', `${HEADER}\nrule add 4 22001 from 10.0.2.0/24 iif ens6 table 20001\n`],
    ['an over-long interface name', `${HEADER}\nrule del 4 20002 iifname abcdefghijklmnop table main\n`],
    ['a zero mark', `${HEADER}\nrule add 4 21001 fwmark 0x0/0x7f table 20001\n`],
    ['a mark outside its mask', `${HEADER}\nrule add 4 21001 fwmark 0x80/0x7f table 20001\n`],
    ['an upper-case mark', `${HEADER}\nrule add 4 21001 fwmark 0x2/0x7F table 20001\n`],
    ['an IPv6 fwmark rule', `${HEADER}\nrule add 6 21001 fwmark 0x2/0x7f table 20001\n`],
    ['a nine-digit mark', `${HEADER}\nconnmark 0x7f ${MAC}=0x000000002\n`],
    ['a connmark pair outside the mask', `${HEADER}\nconnmark 0x7f ${MAC}=0x80\n`],
    ['a MAC marked twice', `${HEADER}\nconnmark 0x7f ${MAC}=0x2 ${MAC}=0x3\n`],
    ['a sysctl eni-pbr never sets', `${HEADER}\nsysctl net.ipv4.ip_forward 1\n`],
    ['a gateway that is not an address', `${HEADER}\nroute replace 4 20001 default via gateway dev ${MAC}\n`],
    ['an IPv6 gateway on an IPv4 route', `${HEADER}\nroute replace 4 20001 default via fe80::1 dev ${MAC}\n`],
    ['a subnet with host bits via a router', `${HEADER}\nroute replace 4 20000 10.0.3.1/24 via 10.0.1.1 dev ${MAC}\n`],
    ['a route via a router without its device', `${HEADER}\nroute replace 4 20000 10.0.3.0/24 via 10.0.1.1 ${MAC} x\n`],
    ['a link group other than 0 and 224', `${HEADER}\nlink group ${MAC} 5\n`],
    ['a link group naming an interface', `${HEADER}\nlink group ens6 224\n`],
    ['a suppress rule for another group', `${HEADER}\nrule add 4 20999 suppress-ifgroup 5 table main\n`],
    ['a suppress rule to a numeric table', `${HEADER}\nrule add 4 20999 suppress-ifgroup 224 table 20001\n`],
    ['an over-long line', `${HEADER}\nconnmark 0x7f ${`${MAC}=0x2 `.repeat(700).trim()}\n`],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePlanLines(text)).toThrow(InvalidPlanLineError);
  });

  it('names the line it refuses', () => {
    expect(() => parsePlanLines(`${HEADER}\nroute del 4 20001 default\nroute del 4 1 default\n`)).toThrow(/plan line 3/);
  });
});
