#!/usr/bin/env bash
# Runs ShellCheck over every tracked or new shell script, and over the agent as the document ships it
# (assembled from scripts/agent/: the agent is the one that runs on customers' hosts). The agent's
# library files are checked one by one too, where the globals one file sets for another are out of
# sight (SC2034 unused, SC2154 unassigned, SC2120 arguments no caller passes): the assembled script
# checks those with everything in view.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard '*.sh' .ci/run 2>/dev/null || find . -name '*.sh' -not -path './node_modules/*')
libraries=() others=()
for script in "${scripts[@]}"; do
  if [[ $script == scripts/agent/lib/* ]]; then libraries+=("$script"); else others+=("$script"); fi
done
shipped=$(mktemp "${TMPDIR:-/tmp}/eni-pbr-agent-assembled.XXXXXXXX")
hooked=$(mktemp "${TMPDIR:-/tmp}/eni-pbr-agent-hooked.XXXXXXXX")
trap 'rm -f "$shipped" "$hooked"' EXIT
npx tsx scripts/ssm/build-document.ts --print-agent >"$shipped"
# the build the bench and the dead-man tests run: the shipped one with its timing and fault lines
npx tsx scripts/ssm/build-document.ts --print-agent --timing --faults >"$hooked"
shellcheck -S warning -x "${others[@]}" "$shipped" "$hooked"
((${#libraries[@]} == 0)) || shellcheck -S warning -e SC2034,SC2154,SC2120 "${libraries[@]}"
echo "shellcheck: ${#scripts[@]} scripts and the assembled agent clean" >&2
bash scripts/ci/awk-lint.sh
