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
