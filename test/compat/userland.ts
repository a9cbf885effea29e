/**
 * The userland the agent tests run in. Unset, they use this machine's tools. The compatibility matrix
 * (scripts/ci/compat.sh) names a Debian root filesystem (build-rootfs.sh) and a variant layer over it
 * (prepare-variant.sh) — per jest project, or by hand with ENI_PBR_USERLAND_ROOT and
 * ENI_PBR_USERLAND_LAYER — and runs the same test files again: then the
 * agent and every probe a test makes of its namespace run chrooted into that userland inside the
 * namespace (enter-userland.sh) — the namespace's kernel state, the userland's ip, nft, iptables and awk.
 * The peer namespace, which plays the network, keeps this machine's tools.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ENTER = join(__dirname, 'enter-userland.sh');

export interface Userland {
  readonly root: string;
  readonly layer: string;
}

export function currentUserland(): Userland | undefined {
  // one jest run of the whole matrix sets it per project (test/compat/jest.matrix.config.js)
  const fromProject = (globalThis as { ENI_PBR_USERLAND?: Partial<Userland> }).ENI_PBR_USERLAND;
  const root = fromProject?.root ?? process.env.ENI_PBR_USERLAND_ROOT;
  const layer = fromProject?.layer ?? process.env.ENI_PBR_USERLAND_LAYER;
  if (!root && !layer) return undefined;
  if (!root || !layer || !existsSync(root) || !existsSync(layer)) {
    throw new Error(`ENI_PBR_USERLAND_ROOT and ENI_PBR_USERLAND_LAYER must both name existing directories (got ${root}, ${layer})`);
  }
  return { root, layer };
}

/** What follows `ip netns exec NS` to run a command in the current userland: nothing for this machine's. */
export function enterUserland(): string[] {
  const userland = currentUserland();
  return userland ? ['bash', ENTER, userland.root, userland.layer] : [];
}

/**
 * The names on the current userland's system PATH, by directory as the chroot sees it. The variant layer
 * only removes or redirects commands, so the root filesystem's listing is the superset; a name the layer
 * removed is a dangling link, which `command -v` does not find either.
 */
export function userlandCommands(dirs: readonly string[]): { dir: string; names: string[] }[] {
  const prefix = currentUserland()?.root ?? '';
  return dirs
    .filter((dir) => {
      const seen = join(prefix, dir);
      return existsSync(seen) && !lstatSync(seen).isSymbolicLink();
    })
    .map((dir) => ({ dir, names: readdirSync(join(prefix, dir)) }));
}
