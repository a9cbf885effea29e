import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, HEADER, planOf } from './run-agent';

// Each plan starts with a valid operation: refusing must happen before the first change, not at the bad line.
const VALID = 'rule add 4 20100 from 10.0.2.10/32 table 20002';

const hostile: readonly (readonly [string, string])[] = [
  ['a shell command after an address', planOf(VALID, 'rule add 4 20101 from 10.0.3.158; reboot table 20002')],
  ['a command substitution', planOf(VALID, 'rule add 4 20101 from $(id) table 20002')],
  ['a backtick substitution', planOf(VALID, 'addr add 02:00:00:00:33:02 `id`/24')],
  ['a newline-smuggled second command', planOf(`${VALID}\nreboot`)],
  ['a carriage-return-smuggled command', planOf(`${VALID}\rreboot`)],
  ['a tab between fields', planOf('rule add 4 20101\tfrom 10.0.2.11/32 table 20002')],
  ['two spaces between fields', planOf('rule add 4 20101  from 10.0.2.11/32 table 20002')],
  ['a table beyond the header range', planOf(VALID, 'route replace 4 21000 10.0.2.0/24 dev 02:00:00:00:33:02')],
  ['a table beyond the agent window', planOf(VALID, 'rule add 4 20101 from 10.0.2.11/32 table 30000')],
  ['the main table on a from rule', planOf(VALID, 'rule add 4 20101 from 10.0.2.11/32 table main')],
  ['a foreign table by number', planOf(VALID, 'rule add 4 20101 from 10.0.2.11/32 table 254')],
  ['a foreign cloud-init table', planOf(VALID, 'route replace 4 101 default via 10.0.2.1 dev 02:00:00:00:33:02')],
  ['a priority outside the header range', planOf(VALID, 'rule add 4 32765 from 10.0.2.11/32 table 20002')],
  ['a header outside the agent windows', `eni-pbr-plan 1 tables=100-200 prefs=20000-22999\n${VALID}\n`],
  ['a header of another version', `eni-pbr-plan 2 tables=20000-20999 prefs=20000-22999\n${VALID}\n`],
  ['an octet above 255', planOf(VALID, 'rule add 4 20101 from 10.0.2.256/32 table 20002')],
  ['host bits in a rule source', planOf(VALID, 'rule add 4 20101 from 10.0.2.1/24 table 20002')],
  ['host bits in an IPv6 route', planOf(VALID, 'route replace 6 20002 2001:db8::1/64 dev 02:00:00:00:33:02')],
  ['host bits in a route via a router', planOf(VALID, 'route replace 4 20002 10.0.3.1/24 via 10.0.2.1 dev 02:00:00:00:33:02')],
  ['a route via a router of another family', planOf(VALID, 'route replace 4 20002 10.0.3.0/24 via fe80::1 dev 02:00:00:00:33:02')],
  ['an upper-case MAC', planOf(VALID, 'route replace 4 20002 10.0.2.0/24 dev 02:00:00:00:33:0A')],
  ['a MAC no link carries', planOf(VALID, 'route replace 4 20002 10.0.2.0/24 dev 02:00:00:00:99:99')],
  ['a mark outside its mask', planOf(VALID, 'rule add 4 20101 fwmark 0x80/0x7f table 20002')],
  ['a zero mark', planOf(VALID, 'connmark 0x7f 02:00:00:00:33:01=0x0')],
  ['a sysctl key off the whitelist', planOf(VALID, 'sysctl net.ipv4.ip_forward 1')],
  ['an unknown operation', planOf(VALID, 'link set 02:00:00:00:33:01 down')],
  ['an empty plan without a header', ''],
];

describeAsRoot('agent apply refuses a hostile or malformed plan and changes nothing', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x33 });
    host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
  });
  afterAll(() => host?.destroy());

  it.each(hostile)('refuses %s', async (_name, planText) => {
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planText);

    expect(run.Status).toBe('Failed');
    expect(run.ResponseCode).toBe(3);
    expect(output.result).toMatchObject({ status: 'refused', operations: 0 });
    expect(output.result.error).toMatch(/^line \d+: /);
    expect(output.result.after).toBe(output.result.before);
    expect(host.dump()).toBe(before);
  });

  it('accepts the valid line alone, so the refusals above are about the hostile line', async () => {
    const { output } = await applyPlan(host.ns, planOf(VALID));

    expect(output.result.status).toBe('applied');
    expect(HEADER).toMatch(/^eni-pbr-plan 1 /);
  });
});
