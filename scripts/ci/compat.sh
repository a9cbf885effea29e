#!/usr/bin/env bash
# The agent's compatibility matrix: the agent's namespace tests run again with the agent (and the
# tests' probes) chrooted into other userlands: Debian root filesystems made with debootstrap and cached
# outside the repository (test/compat/build-rootfs.sh), each with a variant layer
# (test/compat/prepare-variant.sh). Which customer systems each row stands for: README, "Supported
# userlands". Needs root and network access to deb.debian.org the first time a suite is built.
#   compat.sh            every row
#   compat.sh ROW...     the named rows (e.g. bullseye/no-nft+legacy+gawk)
#   compat.sh --prepare  only builds the userlands and variant layers (npm test starts this first, so the
#                        network-bound debootstrap overlaps the main suite)
# Exit status: jest's (each failing test is named with its row).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# suite/variant (prepare-variant.sh), then the test files it runs (test/<name>.test.ts). What each row
# stands for, with the versions from the vendors' package lists: README, "Supported userlands". The
# kernel round trips (core plan -> agent apply -> agent inspect -> core plans nothing) are where another
# tool's JSON or listing would turn into a wrong plan.
readonly MATRIX=(
  # Debian 11: iproute2 5.10, nft 0.9.8, iptables-nft 1.8.7, mawk 1.3.4, bash 5.1 (nearest: Ubuntu 20.04/22.04)
  'bullseye/stock agent/inspect agent/apply agent/apply-rollback agent/connmark-traffic agent/legacy-iptables-evidence core/kernel/nft-round-trip'
  # Amazon Linux 2's firewall tools and awk: no nft, iptables-legacy, gawk
  'bullseye/no-nft+legacy+gawk agent/iptables-connmark agent/iptables-connmark-traffic agent/legacy-iptables-evidence core/kernel/iptables-round-trip'
  # nft beside legacy iptables rules (Ubuntu 20.04 defaults to iptables-legacy; Docker writes there)
  'bullseye/legacy agent/legacy-iptables-evidence agent/connmark-traffic'
  # gawk with nft and iptables-nft (RHEL 8, Amazon Linux 2023)
  'bullseye/gawk core/kernel/nft-round-trip'
  # busybox's awk (no libm: no "^")
  'bullseye/busybox-awk agent/inspect agent/apply core/kernel/nft-round-trip'
  # Debian 13: iproute2 6.15, nft 1.1.3, iptables 1.8.11, mawk, bash 5.2 (nearest: Ubuntu 24.04, RHEL 9)
  'trixie/stock agent/inspect agent/apply agent/apply-rollback agent/connmark-traffic core/kernel/nft-round-trip'
  # the newest tools without nft, gawk's awk
  'trixie/no-nft+gawk agent/iptables-connmark-traffic core/kernel/iptables-round-trip'
)

if ((EUID != 0)); then
  echo "compat: needs root (debootstrap, chroot, network namespaces); skipped" >&2
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { echo "compat: debootstrap missing (scripts/ci/ensure-deps.sh installs it)" >&2; exit 7; }

prepare_only=false
if [[ ${1:-} == --prepare ]]; then
  prepare_only=true
  shift
fi
rows=()
for entry in "${MATRIX[@]}"; do
  name=${entry%% *}
  if (($# == 0)) || [[ " $* " == *" $name "* ]]; then rows+=("$entry"); fi
done
((${#rows[@]} > 0)) || { echo "compat: no matrix row named $*" >&2; exit 2; }

# the suites build in parallel (network and dpkg bound), once per package list
declare -A roots=()
for entry in "${rows[@]}"; do
  suite=${entry%%/*}
  [[ -n ${roots[$suite]:-} ]] || roots[$suite]=pending
done
started=$SECONDS
pids=()
for suite in "${!roots[@]}"; do
  bash test/compat/build-rootfs.sh "$suite" >"/tmp/eni-pbr-compat-$suite.root" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
for suite in "${!roots[@]}"; do roots[$suite]=$(<"/tmp/eni-pbr-compat-$suite.root"); rm -f "/tmp/eni-pbr-compat-$suite.root"; done
echo "compat: userlands ready in $((SECONDS - started)) s" >&2
if [[ $prepare_only == true ]]; then
  for entry in "${rows[@]}"; do
    name=${entry%% *}
    suite=${name%%/*}
    bash test/compat/prepare-variant.sh "${roots[$suite]}" "${name#*/}" >/dev/null
  done
  exit 0
fi

# one jest run, a project per row (test/compat/jest.matrix.config.js): the rows share the two workers
json=""
for entry in "${rows[@]}"; do
  read -r name tests <<<"$entry"
  suite=${name%%/*}
  layer=$(bash test/compat/prepare-variant.sh "${roots[$suite]}" "${name#*/}")
  files='"test/compat/userland-identity.test.ts"'
  for test in $tests; do files+=",\"test/$test.test.ts\""; done
  json+="${json:+,}{\"name\":\"$name\",\"root\":\"${roots[$suite]}\",\"layer\":\"$layer\",\"tests\":[$files]}"
  echo "compat: $name: $tests" >&2
done
status=0
ENI_PBR_COMPAT_ROWS="[$json]" npx jest --config test/compat/jest.matrix.config.js --maxWorkers=2 || status=$?
echo "compat: matrix done in $((SECONDS - started)) s (exit $status)" >&2
exit "$status"
