import { describeAsRoot } from '../../helpers/root-only';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * The planner deletes only rules and routes that carry protocol 224 (functions/core/planner/ownership.ts)
 * because the agent deletes with `proto 224`. This checks that premise on the running kernel:
 *
 *   netns epk-<pid>-<rand>
 *   +------------------------------------------------------------+
 *   | eth1 (veth, peer p1 beside it, no address, no traffic)     |
 *   | rules pref 22001/22002, routes in table 20001/20002         |
 *   +------------------------------------------------------------+
 */
const ns = `epk-${process.pid}-${randomBytes(3).toString('hex')}`;
const TIMEOUT_MS = 5000; // every ip call is bounded; none should take more than a few ms

function ip(...args: string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8', timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
}

function fails(...args: string[]): boolean {
  try {
    ip(...args);
    return false;
  } catch {
    return true;
  }
}

const rulesAt = (priority: number): unknown[] => (JSON.parse(ip('-j', 'rule', 'show')) as { priority: number }[]).filter((rule) => rule.priority === priority);
const routesIn = (table: number): unknown[] => JSON.parse(ip('-j', 'route', 'show', 'table', String(table))) as unknown[];


describeAsRoot('deleting with proto 224 on this kernel', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns], { timeout: TIMEOUT_MS });
    ip('link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'p1');
    ip('link', 'set', 'eth1', 'up');
  });

  afterAll(() => {
    execFileSync('ip', ['netns', 'del', ns], { timeout: TIMEOUT_MS, stdio: 'ignore' });
  });

  it('removes a rule eni-pbr wrote', () => {
    ip('rule', 'add', 'from', '10.0.2.0/24', 'iif', 'lo', 'lookup', '20001', 'pref', '22001', 'proto', '224');
    ip('rule', 'del', 'from', '10.0.2.0/24', 'iif', 'lo', 'lookup', '20001', 'pref', '22001', 'proto', '224');
    expect(rulesAt(22001)).toEqual([]);
  });

  it('does not match the same rule written without a protocol', () => {
    ip('rule', 'add', 'from', '10.0.2.0/24', 'iif', 'lo', 'lookup', '20002', 'pref', '22002');
    expect(fails('rule', 'del', 'from', '10.0.2.0/24', 'iif', 'lo', 'lookup', '20002', 'pref', '22002', 'proto', '224')).toBe(true);
    expect(rulesAt(22002)).toEqual([{ priority: 22002, src: '10.0.2.0', srclen: 24, iif: 'lo', table: '20002' }]);
  });

  it('removes a route eni-pbr wrote and not one of another protocol', () => {
    ip('route', 'add', '10.0.2.0/24', 'dev', 'eth1', 'table', '20001', 'proto', '224');
    ip('route', 'add', '10.0.2.0/24', 'dev', 'eth1', 'table', '20002', 'proto', 'static');
    ip('route', 'del', '10.0.2.0/24', 'table', '20001', 'proto', '224');
    expect(routesIn(20001)).toEqual([]);
    expect(fails('route', 'del', '10.0.2.0/24', 'table', '20002', 'proto', '224')).toBe(true);
    expect(routesIn(20002)).toEqual([expect.objectContaining({ dst: '10.0.2.0/24', protocol: 'static' })]);
  });

  it('lets route replace take over a route of another protocol, so a wrong one converges', () => {
    ip('route', 'replace', '10.0.2.0/24', 'dev', 'eth1', 'table', '20002', 'proto', '224');
    expect(routesIn(20002)).toEqual([expect.objectContaining({ dst: '10.0.2.0/24', protocol: '224' })]);
  });
});
