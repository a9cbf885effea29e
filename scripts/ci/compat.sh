#!/usr/bin/env bash
# The agent's compatibility matrix: the agent's namespace tests run again with the agent (and the
# tests' probes) chrooted into other userlands: Debian root filesystems made with debootstrap and cached
# outside the repository (test/compat/build-rootfs.sh), each with a variant layer
# (test/compat/prepare-variant.sh). Which customer systems each row stands for: README, "Supported
# userlands". Needs root and network access to deb.debian.org the first time a suite is built.
#   compat.sh            every row
#   compat.sh ROW...     the named rows (e.g. bullseye/no-nft-legacy)
# Exit status: 0 when every row passed; the rows that failed are named on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# suite/variant, then the test files (test/agent/<name>.test.ts) it runs
readonly MATRIX=(
  'bullseye/stock inspect apply apply-rollback connmark-traffic'
  'bullseye/no-nft-legacy iptables-connmark iptables-connmark-traffic apply-rollback'
  'bullseye/busybox-awk inspect apply apply-refusals'
  'bullseye/gawk apply apply-refusals'
  'trixie/stock inspect apply apply-rollback connmark-traffic'
  'trixie/no-nft iptables-connmark iptables-connmark-traffic'
)

if ((EUID != 0)); then
  echo "compat: needs root (debootstrap, chroot, network namespaces); skipped" >&2
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2

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

failed=()
for entry in "${rows[@]}"; do
  read -r name tests <<<"$entry"
  suite=${name%%/*}
  layer=$(bash test/compat/prepare-variant.sh "${roots[$suite]}" "${name#*/}")
  files=(test/compat/userland-identity.test.ts)
  for test in $tests; do files+=("test/agent/$test.test.ts"); done
  echo "compat: $name: ${files[*]}" >&2
  row_started=$SECONDS
  if ENI_PBR_USERLAND_ROOT=${roots[$suite]} ENI_PBR_USERLAND_LAYER=$layer npx jest --maxWorkers=2 "${files[@]}"; then
    echo "compat: $name passed in $((SECONDS - row_started)) s" >&2
  else
    echo "compat: $name FAILED" >&2
    failed+=("$name")
  fi
done
echo "compat: matrix done in $((SECONDS - started)) s" >&2
if ((${#failed[@]} > 0)); then
  echo "compat: failed rows: ${failed[*]}" >&2
  exit 1
fi
