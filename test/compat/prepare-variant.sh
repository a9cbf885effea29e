#!/usr/bin/env bash
# prepare-variant.sh ROOTFS VARIANT: prints the directory of an overlay layer that turns the userland
# ROOTFS (from build-rootfs.sh) into VARIANT, made on first use next to it and cached with it. VARIANT is
# "stock" or features joined by "+":
#   stock          the suite's defaults: nft, iptables-nft, mawk (a minimal Debian has no gawk; build-rootfs
#                  installs it for the gawk feature, and gawk outranks mawk in update-alternatives)
#   no-nft         nft removed: the agent falls back to iptables
#   legacy         iptables-legacy chosen with update-alternatives
#   gawk           awk is gawk
#   busybox-awk    awk is busybox's
# e.g. no-nft+legacy+gawk: Amazon Linux 2's firewall tools and awk. The layer is an overlayfs upper
# directory written through a private mount; enter-userland.sh stacks it read-only over ROOTFS.
set -euo pipefail

rootfs=${1:?usage: prepare-variant.sh ROOTFS VARIANT}
variant=${2:?usage: prepare-variant.sh ROOTFS VARIANT}
[[ $variant =~ ^[a-z+-]+$ ]] || { echo "prepare-variant: bad variant name: $variant" >&2; exit 2; }
awk_step='update-alternatives --set awk /usr/bin/mawk'
steps=()
IFS=+ read -r -a features <<<"$variant"
for feature in "${features[@]}"; do
  case $feature in
    stock) ;;
    no-nft) steps+=('dpkg --purge nftables') ;;
    legacy) steps+=('update-alternatives --set iptables /usr/sbin/iptables-legacy' 'update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy') ;;
    gawk) awk_step='update-alternatives --set awk /usr/bin/gawk' ;;
    busybox-awk) awk_step='update-alternatives --install /usr/bin/awk awk /bin/busybox 1000' ;;
    *) echo "prepare-variant: unknown feature: $feature" >&2; exit 2 ;;
  esac
done
steps=("$awk_step" "${steps[@]}")
[[ -f $rootfs/.complete ]] || { echo "prepare-variant: not a built root filesystem: $rootfs" >&2; exit 2; }

key=$(printf '%s\n' "${steps[@]}" | sha256sum | cut -c1-8)
layer="$rootfs.layers/$variant-$key"
if [[ -f $layer.complete ]]; then
  printf '%s\n' "$layer"
  exit 0
fi
mkdir -p "$rootfs.layers"
exec {lock}>"$rootfs.layers/.lock"
flock -w 300 "$lock"
if [[ ! -f $layer.complete ]]; then
  rm -rf "$layer" "$layer.work" "$layer.mnt"
  mkdir -p "$layer" "$layer.work" "$layer.mnt"
  # shellcheck disable=SC2016 # the inner script expands its own positional parameters
  unshare --mount --propagation private -- bash -c '
    set -e
    rootfs=$1 layer=$2
    shift 2
    mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$layer,workdir=$layer.work" "$layer.mnt"
    mount -t proc proc "$layer.mnt/proc"
    for step in "$@"; do
      # word splitting is the point: each step is a fixed command line from the table above
      # shellcheck disable=SC2086
      chroot "$layer.mnt" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $step >/dev/null
    done
  ' prepare-variant "$rootfs" "$layer" "${steps[@]}"
  rm -rf "$layer.work" "$layer.mnt"
  touch "$layer.complete"
fi
printf '%s\n' "$layer"
