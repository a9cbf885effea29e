#!/usr/bin/env bash
# build-rootfs.sh SUITE: prints the directory of a Debian SUITE root filesystem (minbase + the tools the
# agent uses), made with debootstrap from deb.debian.org on first use and cached outside the repository
# under $ENI_PBR_COMPAT_CACHE (default /var/cache/eni-pbr-compat). The cache key is a hash of the suite,
# the package list and this file, so a change to either rebuilds it; an unchanged one costs nothing.
# Older builds of the same suite are removed once the new one is complete. Needs root and debootstrap.
set -euo pipefail

readonly MIRROR=http://deb.debian.org/debian
# The agent's tools (iproute2, nftables, iptables, flock in util-linux, gzip, coreutils, awk) and what the
# tests examine the namespace with (procps sysctl, conntrack); gawk and busybox for the awk variants.
# minbase already holds bash, coreutils, gzip, mawk and util-linux.
readonly PACKAGES=iproute2,nftables,iptables,gawk,busybox,procps,conntrack

suite=${1:?usage: build-rootfs.sh SUITE}
[[ $suite =~ ^[a-z]+$ ]] || { echo "build-rootfs: bad suite name: $suite" >&2; exit 2; }
cache=${ENI_PBR_COMPAT_CACHE:-/var/cache/eni-pbr-compat}
key=$( { printf '%s %s\n' "$suite" "$PACKAGES"; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-12)
root="$cache/rootfs/$suite-$key"

if [[ -f $root/.complete ]]; then
  printf '%s\n' "$root"
  exit 0
fi

command -v debootstrap >/dev/null 2>&1 || { echo "build-rootfs: debootstrap missing (apt-get install debootstrap)" >&2; exit 7; }
mkdir -p "$cache/rootfs"
# one builder per suite at a time: a second caller waits for the first one's result
exec {lock}>"$cache/rootfs/.lock-$suite"
flock -w 900 "$lock" || { echo "build-rootfs: another build of $suite holds the lock" >&2; exit 4; }
if [[ ! -f $root/.complete ]]; then
  partial="$root.partial"
  rm -rf "$partial"
  started=$SECONDS
  echo "build-rootfs: debootstrap $suite (minbase + $PACKAGES) into $root" >&2
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$suite" "$partial" "$MIRROR" >"$cache/rootfs/$suite.log" 2>&1; then
    tail -n 20 "$cache/rootfs/$suite.log" >&2
    rm -rf "$partial"
    echo "build-rootfs: debootstrap $suite failed (log: $cache/rootfs/$suite.log)" >&2
    exit 1
  fi
  # the package cache is 40 % of a minbase and nothing here installs from it again
  rm -rf "$partial"/var/cache/apt/archives/*.deb "$partial"/var/lib/apt/lists/*
  touch "$partial/.complete"
  mv "$partial" "$root"
  for old in "$cache/rootfs/$suite"-*; do
    [[ $old == "$root" || ! -d $old ]] || rm -rf "$old"
  done
  echo "build-rootfs: $suite built in $((SECONDS - started)) s ($(du -sm "$root" | cut -f1) MB)" >&2
fi
printf '%s\n' "$root"
