import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LabError } from './lab-driver';

const run = promisify(execFile);
// `ip` answers in milliseconds; this only stops a wedged kernel.
const IP_TIMEOUT_MS = 10_000;

async function ip(ns: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', ['-n', ns, ...args], { timeout: IP_TIMEOUT_MS, killSignal: 'SIGKILL' });
    return stdout;
  } catch (cause) {
    throw new LabError(`ip -n ${ns} ${args.join(' ')} failed`, { cause });
  }
}

/** `ip rule` in a lab namespace, one rule a line, as iproute2 prints it (`20999:\tfrom all lookup main …`). */
export async function ipRules(ns: string): Promise<string[]> {
  return (await ip(ns, ['-4', 'rule', 'show'])).split('\n').filter((line) => line !== '');
}

export interface LinkGroup {
  readonly ifname: string;
  readonly mac: string;
  /** as iproute2 names it: `default` for group 0, else the number (no /etc/iproute2/group names here) */
  readonly group: string;
}

/** Every link of a lab namespace but lo, with its interface group. */
export async function linkGroups(ns: string): Promise<LinkGroup[]> {
  const links = JSON.parse(await ip(ns, ['-j', 'link', 'show'])) as { ifname: string; address?: string; group?: string }[];
  return links.filter((link) => link.ifname !== 'lo').map((link) => ({ ifname: link.ifname, mac: link.address ?? '', group: link.group ?? '' }));
}

/** `ip -4 route show table <table>` in a lab namespace, one route a line, as iproute2 prints it. */
export async function ipRoutes(ns: string, table: string): Promise<string[]> {
  return (await ip(ns, ['-4', 'route', 'show', 'table', table])).split('\n').filter((line) => line !== '');
}

/**
 * `ip route get <to> from <from>` in a lab namespace, with `route` (say a static route to an appliance)
 * added to main for the question only: which table decides for the host's own traffic.
 */
export async function routeGetWithMainRoute(ns: string, route: readonly string[], to: string, from: string): Promise<string> {
  await ip(ns, ['route', 'add', ...route]);
  try {
    return (await ip(ns, ['route', 'get', to, 'from', from])).split('\n')[0] ?? '';
  } finally {
    await ip(ns, ['route', 'del', ...route]);
  }
}
