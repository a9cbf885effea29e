#!/usr/bin/env bash
# enter-userland.sh ROOTFS LAYER COMMAND [ARG...]: runs COMMAND chrooted into another userland (a root
# filesystem from build-rootfs.sh with a variant layer from prepare-variant.sh over it), in the caller's
# network namespace: the namespace's kernel state, the userland's tools. Meant to follow
# `ip netns exec NS`.
#
# Everything is mounted inside a private mount namespace (unshare -m), so the mounts vanish with the
# command on every exit path, kill -9 included, and nothing reaches the host's mount table. The userland
# is a read-only overlay (the cache stays pristine and concurrent runs share it); the chroot sees a fresh
# /proc, the namespace's /sys (ip netns exec remounts it), the host's /dev, and the host's /run and /tmp
# (the agent's per-namespace lock lives in /run, so two runs in one namespace still serialise; the local
# runner's script and TMPDIR live in /tmp).
set -euo pipefail

if (($# < 3)); then
  echo "usage: enter-userland.sh ROOTFS LAYER COMMAND [ARG...]" >&2
  exit 2
fi
rootfs=$1 layer=$2
shift 2
for dir in "$rootfs" "$layer"; do
  [[ -d $dir ]] || { echo "enter-userland: no such directory: $dir" >&2; exit 2; }
done
mnt="${ENI_PBR_COMPAT_CACHE:-/var/cache/eni-pbr-compat}/mnt"
[[ -d $mnt ]] || mkdir -p "$mnt"

# shellcheck disable=SC2016 # the inner script expands its own positional parameters
exec unshare --mount --propagation private -- bash -c '
  set -e
  rootfs=$1 layer=$2 mnt=$3
  shift 3
  mount -t overlay overlay -o "ro,lowerdir=$layer:$rootfs" "$mnt"
  mount -t proc proc "$mnt/proc"
  mount --rbind /sys "$mnt/sys"
  mount --rbind /dev "$mnt/dev"
  mount --bind /run "$mnt/run"
  mount --bind /tmp "$mnt/tmp"
  exec chroot "$mnt" "$@"
' enter-userland "$rootfs" "$layer" "$mnt" "$@"
