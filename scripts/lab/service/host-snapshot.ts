import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TIMEOUT_MS = 10_000; // `ip`/`nft` answer in milliseconds; this only stops a wedged kernel

/** eni-pbr marks what it owns with protocol 224 (docs/agent-protocol.md); everything else is foreign. */
const OWNED = /\bproto 224\b/;

export interface HostSnapshot {
  readonly rules: readonly string[];
  readonly routes: readonly string[];
  readonly addresses: readonly string[];
  /** `nft list ruleset` and `iptables-save` without counters: the whole firewall */
  readonly firewall: string;
}

async function lines(ns: string, args: readonly string[]): Promise<string[]> {
  const { stdout } = await run('ip', ['-n', ns, ...args], { timeout: TIMEOUT_MS });
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

/** The instance's routing state as `ip` prints it (link-local and local routes left out: the kernel's own). */
export async function snapshotHost(ns: string): Promise<HostSnapshot> {
  const [rules, routes, addresses, nft, iptables] = await Promise.all([
    lines(ns, ['-4', 'rule', 'show']),
    lines(ns, ['-4', 'route', 'show', 'table', 'all']).then((all) => all.filter((line) => !line.startsWith('local ') && !line.startsWith('broadcast '))),
    lines(ns, ['-4', '-o', 'addr', 'show']).then((all) => all.map((line) => line.replace(/\s+valid_lft.*$/, ''))),
    run('ip', ['netns', 'exec', ns, 'nft', 'list', 'ruleset'], { timeout: TIMEOUT_MS }).then(({ stdout }) => stdout),
    run('ip', ['netns', 'exec', ns, 'iptables-save'], { timeout: TIMEOUT_MS }).then(({ stdout }) => stdout.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '')),
  ]);
  // Counters move with every probe; the rules are what must not.
  const withoutCounters = (text: string) => text.replace(/counter packets \d+ bytes \d+/g, 'counter');
  return { rules, routes, addresses, firewall: withoutCounters(`${nft}\n${iptables}`) };
}

/** The parts of two snapshots that differ, by name ([] when the host did not change). */
export function changedParts(before: HostSnapshot, after: HostSnapshot): string[] {
  return (Object.keys(before) as (keyof HostSnapshot)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

export const ownedLines = (lines: readonly string[]): string[] => lines.filter((line) => OWNED.test(line));
export const foreignLines = (lines: readonly string[]): string[] => lines.filter((line) => !OWNED.test(line));

/** eni-pbr's nft table as text ('' when absent). */
export async function ownNftTable(ns: string): Promise<string> {
  try {
    return (await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'inet', 'eni_pbr'], { timeout: TIMEOUT_MS })).stdout;
  } catch {
    return '';
  }
}
