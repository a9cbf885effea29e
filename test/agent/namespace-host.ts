/**
 * A throwaway "instance" for agent tests: one namespace holding the ENIs (veth ends, MACs chosen by the
 * test) and a peer namespace holding the other ends, so links have carrier. Nothing touches the root
 * namespace; destroy() removes both namespaces and is safe to call twice.
 *
 *   ┌──────────── host ns ────────────┐      ┌──── peer ns ────┐
 *   │ eth1 02:00:00:00:<tag>:01  ─────┼──────┼─ p1             │
 *   │ eth2 02:00:00:00:<tag>:02  ─────┼──────┼─ p2             │
 *   │ …                               │      │ …               │
 *   └─────────────────────────────────┘      └─────────────────┘
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { enterUserland } from '../compat/userland';

export { describeAsRoot } from '../helpers/root-only';

export interface NamespaceHost {
  readonly ns: string;
  readonly peer: string;
  readonly macs: readonly string[]; // macs[i] belongs to eth<i+1>
  run(args: readonly string[], input?: string): string;
  dump(): string;
  destroy(): void;
}

export function createNamespaceHost(options: { enis: number; tag: number }): NamespaceHost {
  const suffix = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const ns = `epa-${suffix}`;
  const peer = `epp-${suffix}`;
  const tagHex = options.tag.toString(16).padStart(2, '0');
  const macs = Array.from({ length: options.enis }, (_, i) => `02:00:00:00:${tagHex}:${(i + 1).toString(16).padStart(2, '0')}`);
  const ip = (args: readonly string[], input?: string): string =>
    execFileSync('ip', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
  ip(['netns', 'add', ns]);
  try {
    ip(['netns', 'add', peer]);
    // No duplicate address detection: link-local addresses would flip from "tentative" mid-test and
    // make byte-for-byte dumps differ for reasons that have nothing to do with the agent.
    for (const name of [ns, peer]) {
      execFileSync('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'], {
        stdio: 'ignore',
        timeout: 10_000,
      });
    }
    const batch = macs.flatMap((mac, i) => [
      `link add eth${i + 1} address ${mac} type veth peer name p${i + 1} netns ${peer}`,
      `link set eth${i + 1} up`,
    ]);
    ip(['-n', ns, '-batch', '-'], `${[...batch, 'link set lo up'].join('\n')}\n`);
    ip(['-n', peer, '-batch', '-'], `${macs.map((_, i) => `link set p${i + 1} up`).join('\n')}\n`);
  } catch (error) {
    removeNamespaces(ns, peer);
    throw error;
  }
  // probes run with the tools of the userland under test (this machine's unless the matrix sets one)
  const enter = enterUserland();
  // node hands input over a socket; nft 0.9.8 opens /dev/stdin for `-f -`, which a socket refuses (ENXIO)
  const piped = (args: readonly string[], input?: string): readonly string[] =>
    input === undefined || enter.length === 0 ? args : ['sh', '-c', 'cat | "$@"', 'sh', ...args];
  const run = (args: readonly string[], input?: string): string =>
    execFileSync('ip', ['netns', 'exec', ns, ...enter, ...piped(args, input)], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
  return {
    ns,
    peer,
    macs,
    run,
    // Everything apply may touch, in full: compared byte for byte before and after. nft only where it
    // exists; iptables-save too, since a legacy backend is invisible to nft (comments and counters cut).
    dump: () =>
      run([
        'sh',
        '-c',
        'ip rule; ip -6 rule; ip route show table all; ip -6 route show table all; ip addr; ' +
          'if command -v nft >/dev/null; then nft list ruleset; fi; ' +
          "iptables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//'; cat /proc/sys/net/ipv4/conf/all/src_valid_mark",
      ]),
    destroy: () => removeNamespaces(ns, peer),
  };
}

function removeNamespaces(...names: string[]): void {
  for (const name of names) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // already gone
    }
  }
}

