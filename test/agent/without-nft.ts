/**
 * A PATH on which `nft` (or another command) does not exist, for the iptables fallback: the agent picks its firewall backend
 * with `command -v nft`, exactly as on Amazon Linux 2 or an older RHEL. Nothing in the agent reads a
 * test switch; the test only changes what the agent can find. The directory holds a symlink for every
 * command of the system PATH except nft (of the compatibility userland's, when one is set: the
 * directory lives in /tmp, which enter-userland.sh shares with the chroot). remove() is safe to call twice.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userlandCommands } from '../compat/userland';

// /sbin and /bin count only where they are real directories (not on merged-/usr systems).
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface PathWithout {
  readonly path: string;
  remove(): void;
}

/** A PATH like the system's, minus the named commands (nft by default). */
export function pathWithout(missing: readonly string[] = ['nft']): PathWithout {
  const dir = mkdtempSync(join(tmpdir(), 'eni-pbr-path-'));
  // the links point where the agent will look them up: inside the compatibility userland, when one is set
  const linked = new Set<string>(missing);
  for (const { dir: source, names } of userlandCommands(SYSTEM_PATH)) {
    for (const name of names) {
      if (linked.has(name)) continue; // the first directory on the PATH wins, as in a lookup
      linked.add(name);
      symlinkSync(join(source, name), join(dir, name));
    }
  }
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The system's iptables-restore, for a wrapper that hands some calls on to it. */
export const REAL_IPTABLES_RESTORE =
  ['/usr/sbin/iptables-restore', '/sbin/iptables-restore'].find((path) => existsSync(path)) ?? 'iptables-restore';

/** A PATH without nft whose iptables-restore is the given shell script. */
export function pathWithIptablesRestore(script: string): PathWithout {
  const path = pathWithout(['nft', 'iptables-restore']);
  const wrapper = join(path.path, 'iptables-restore');
  rmSync(wrapper, { force: true });
  writeFileSync(wrapper, script, { mode: 0o755 });
  return path;
}
