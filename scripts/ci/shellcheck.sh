#!/usr/bin/env bash
# Runs ShellCheck over every tracked or new shell script; the agent is the one that runs on customers hosts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard '*.sh' .ci/run 2>/dev/null || find . -name '*.sh' -not -path './node_modules/*')
if ((${#scripts[@]} == 0)); then
  echo "shellcheck: no scripts" >&2
  exit 0
fi
shellcheck -S warning -x "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean" >&2
