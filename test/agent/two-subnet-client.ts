/**
 * The connmark traffic tests' topology on a two-ENI namespace host: a client outside eth2's subnet
 * reaches eth2's address, and the peer's strict reverse-path check on p1 drops any reply that leaves
 * through eth1 (the main table's default route), so a ping succeeds only if the reply goes back via eth2.
 *
 *   host ns                                         peer ns (rp_filter strict on p1)
 *   eth1 10.0.1.10/24 (main default via 10.0.1.1) ── p1 10.0.1.1/24
 *   eth2 10.0.2.10/24                              ── p2 10.0.2.1/24, client 192.0.2.7/32
 */
import { execFileSync } from 'node:child_process';
import type { NamespaceHost } from './namespace-host';

const inPeer = (host: NamespaceHost, ...args: string[]): string =>
  execFileSync('ip', ['netns', 'exec', host.peer, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });

/** Addresses both namespaces, the main default route on eth1 and the strict rp_filter on p1. */
export function addTwoSubnetClient(host: NamespaceHost): void {
  host.run(['ip', 'addr', 'add', '10.0.1.10/24', 'dev', 'eth1']);
  host.run(['ip', 'addr', 'add', '10.0.2.10/24', 'dev', 'eth2']);
  host.run(['ip', 'route', 'add', 'default', 'via', '10.0.1.1', 'dev', 'eth1']);
  inPeer(host, 'ip', 'addr', 'add', '10.0.1.1/24', 'dev', 'p1');
  inPeer(host, 'ip', 'addr', 'add', '10.0.2.1/24', 'dev', 'p2');
  inPeer(host, 'ip', 'addr', 'add', '192.0.2.7/32', 'dev', 'p2');
  inPeer(host, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1', 'net.ipv4.conf.p1.rp_filter=1');
}

/** Whether one ping from the client 192.0.2.7 to eth2's 10.0.2.10 is answered within a second. */
export function clientPings(host: NamespaceHost): boolean {
  try {
    inPeer(host, 'ping', '-c', '1', '-W', '1', '-I', '192.0.2.7', '10.0.2.10');
    return true;
  } catch {
    return false;
  }
}
