#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for the tests and the lab: Debian packages (only as root,
# only when a tool is missing) and the npm dependencies (only when node_modules is absent or stale).
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly root_dir

# tool → Debian package that provides it
declare -A packages=(
  [ip]=iproute2
  [nft]=nftables
  [iptables]=iptables
  [shellcheck]=shellcheck
  [curl]=curl
  [ping]=iputils-ping
  [flock]=util-linux
  [setsid]=util-linux # the agent's dead-man timer leaves the command's process group with it
  [getent]=libc-bin # the agent resolves the region's SSM endpoints with it
  [timeout]=coreutils
  [systemd-analyze]=systemd # verifies the boot unit the agent renders (test/agent/survive.test.ts)
  [/lib/systemd/systemd-networkd]=systemd # reads the agent's networkd drop-in (test/agent/networkd-dropin.test.ts)
  [run-parts]=debianutils # runs the agent's ifupdown hook as ifup does (test/agent/manager-hooks.test.ts)
  [unshare]=util-linux
  [gzip]=gzip
  [base64]=coreutils
  [sha256sum]=coreutils
  [conntrack]=conntrack
  [sysctl]=procps
  [awk]=mawk
  [mawk]=mawk
  [gawk]=gawk # lints the agent's awk programs (scripts/ci/awk-lint.sh) and runs the grammar test a second time
  [debootstrap]=debootstrap # the compatibility matrix's userlands (scripts/ci/compat.sh)
  [busybox]=busybox # its awk runs the grammar test a third time (the matrix runs it in the agent)
)

missing=()
for tool in "${!packages[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${packages[$tool]}")
done

if ((${#missing[@]} > 0)); then
  if ((EUID == 0)) && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-deps: installing ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "ensure-deps: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
  fi
fi

# Installing gawk makes it `awk` (priority 10 over mawk's 5): keep mawk, the awk of Debian and Ubuntu
# hosts, as the one the agent's tests run with; the awk-level tests run gawk by name as well.
if ((EUID == 0)) && [[ -x /usr/bin/mawk ]] && [[ $(readlink -f /usr/bin/awk 2>/dev/null) != /usr/bin/mawk ]] &&
  command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --set awk /usr/bin/mawk >&2
fi

cd "$root_dir"
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "ensure-deps: npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi
