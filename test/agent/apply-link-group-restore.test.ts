/**
 * A rollback puts back only the link groups its own batch changed: another tool may move another link
 * meanwhile, and that is not eni-pbr's to undo. The firewall transaction fails on purpose here: the
 * PATH's iptables-restore is a wrapper that, like a concurrent tool, moves eth2 to group 7 and fails.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:40:01 ───┼──────┼─ p1         │   plan: eth1 → group 224, connmark (fails)
 *   │ eth2 …:40:02 ───┼──────┼─ p2         │   "another tool": eth2 → group 7
 *   └─────────────────┘      └─────────────┘
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyWithPath } from './run-agent-script';
import { planOf } from './run-agent';
import { pathWithIptablesRestore, REAL_IPTABLES_RESTORE, type PathWithout } from './without-nft';

const failingRestore = `#!/bin/sh
case " $* " in *" --version "*) exec ${REAL_IPTABLES_RESTORE} "$@" ;; esac
ip link set dev eth2 group 7
echo "iptables-restore: line 5 failed" >&2
exit 1
`;

describeAsRoot('agent rollback of link groups', () => {
  let host: NamespaceHost;
  let path: PathWithout;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x40 });
    path = pathWithIptablesRestore(failingRestore);
  });
  afterAll(() => {
    host?.destroy();
    path?.remove();
  });

  it('restores the group it set and leaves the one another tool set', () => {
    const [eth1] = host.macs as [string, string];

    const { output } = applyWithPath(host.ns, path.path, planOf(`link group ${eth1} 224`, `connmark 0x7f ${eth1}=0x1`));

    // the digest covers every link's group: the foreign move shows as a state that is not the snapshot
    expect(output.result.status).toBe('rollback-failed');
    expect(output.result.error).toContain('iptables-restore: line 5 failed');
    expect(host.run(['ip', '-o', 'link', 'show', 'eth1'])).toMatch(/ group default /);
    expect(host.run(['ip', '-o', 'link', 'show', 'eth2'])).toMatch(/ group 7 /);
  });
});
