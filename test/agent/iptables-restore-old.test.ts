/**
 * iptables-restore learnt -w (wait for the xtables lock) in 1.6.2; older ones refuse the option. The
 * agent asks the version once and leaves -w out below 1.6.2. The "old" iptables-restore here is a
 * wrapper on the PATH that says v1.6.1, fails on -w like 1.6.1 does, and else runs the real one.
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3f:01 ───┼──────┼─ p1         │   no nft on the PATH: the iptables backend
 *   └─────────────────┘      └─────────────┘
 */
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyWithPath } from './run-agent-script';
import { planOf } from './run-agent';
import { pathWithIptablesRestore, REAL_IPTABLES_RESTORE, type PathWithout } from './without-nft';

const oldRestore = `#!/bin/sh
for arg in "$@"; do
  case $arg in
    --version|-V) echo "iptables-restore v1.6.1"; exit 0 ;;
    -w|--wait|-w*) echo "iptables-restore: unrecognized option '$arg'" >&2; exit 2 ;;
  esac
done
exec ${REAL_IPTABLES_RESTORE} "$@"
`;

describeAsRoot('connmark through an iptables-restore older than 1.6.2', () => {
  let host: NamespaceHost;
  let path: PathWithout;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3f });
    path = pathWithIptablesRestore(oldRestore);
  });
  afterAll(() => {
    host?.destroy();
    path?.remove();
  });

  it('writes its chains without -w', () => {
    const { code, output } = applyWithPath(host.ns, path.path, planOf(`connmark 0x7f ${host.macs[0] ?? ''}=0x1`));

    expect(output.result.error).toBeNull();
    expect(code).toBe(0);
    expect(host.run(['iptables-save', '-t', 'mangle'])).toContain('-A ENI_PBR_PRE -i eth1');
  });

  it('removes them again without -w', () => {
    const { code } = applyWithPath(host.ns, path.path, planOf('connmark 0x7f'));

    expect(code).toBe(0);
    expect(host.run(['iptables-save', '-t', 'mangle'])).not.toContain('ENI_PBR');
  });
});
