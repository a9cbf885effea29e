#!/usr/bin/env bash
# `npm test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bash scripts/ci/ensure-deps.sh
npx tsc -p tsconfig.json --noEmit
npx eslint .
bash scripts/ci/shellcheck.sh
# Namespace tests share the kernel's netns list; two workers keep the 2-core machine busy without
# letting them starve each other's probes.
npx jest --maxWorkers=2 "$@"
# The agent again in other userlands (old iproute2/nft, legacy iptables, other awks), unless a run names
# its own tests or ENI_PBR_COMPAT=0 says not to; the userlands are cached in /var/cache/eni-pbr-compat.
if (($# == 0)) && [[ ${ENI_PBR_COMPAT:-1} != 0 ]]; then
  bash scripts/ci/compat.sh
fi
