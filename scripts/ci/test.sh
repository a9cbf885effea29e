#!/usr/bin/env bash
# `npm test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bash scripts/ci/ensure-deps.sh
# The compatibility matrix (after jest) needs its userlands: built now, alongside the checks below, since
# a cold debootstrap waits mostly on the network. Its own process group, ended if this script ends first.
compat=false
if (($# == 0)) && [[ ${ENI_PBR_COMPAT:-1} != 0 ]] && ((EUID == 0)); then
  compat=true
  compat_log=$(mktemp)
  setsid bash scripts/ci/compat.sh --prepare >"$compat_log" 2>&1 &
  compat_pid=$!
  trap 'kill -TERM -- "-$compat_pid" 2>/dev/null || true; rm -f "$compat_log"' EXIT
fi
npx tsc -p tsconfig.json --noEmit
npx eslint .
bash scripts/ci/shellcheck.sh
# Namespace tests share the kernel's netns list; two workers keep the 2-core machine busy without
# letting them starve each other's probes.
npx jest --maxWorkers=2 "$@"
# The agent again in other userlands (old iproute2/nft, legacy iptables, other awks), unless a run names
# its own tests or ENI_PBR_COMPAT=0 says not to; the userlands are cached in /var/cache/eni-pbr-compat.
if [[ $compat == true ]]; then
  if ! wait "$compat_pid"; then
    cat "$compat_log" >&2
    echo "test: building the compatibility userlands failed" >&2
    exit 1
  fi
  cat "$compat_log" >&2
  bash scripts/ci/compat.sh
fi
