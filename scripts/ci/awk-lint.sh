#!/usr/bin/env bash
# Lints the agent's awk programs with gawk --lint --posix (Debian's gawk; the agent itself runs them with
# whatever awk the host has: mawk on Debian/Ubuntu, gawk on Amazon Linux). Each program runs once per
# mode on a small sample listing, so the runtime checks (uninitialised variables, non-POSIX use) see
# its code paths; any warning fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly AWK_DIR=scripts/agent/awk SAMPLES=test/fixtures/agent
if ! command -v gawk >/dev/null 2>&1; then
  echo "awk-lint: gawk missing (scripts/ci/ensure-deps.sh installs it as root)" >&2
  exit 1
fi
failed=0
declare -A linted=()
# lint NAME ARGS...: gawk --lint with ARGS; fails on any output to stderr.
lint() {
  local name=$1 warnings arg
  shift
  for arg in "$@"; do [[ $arg != "$AWK_DIR"/*.awk ]] || linted[$arg]=1; done
  warnings=$(gawk --lint --posix "$@" 2>&1 >/dev/null) || true
  if [[ -n $warnings ]]; then
    printf 'awk-lint: %s\n%s\n' "$name" "$(head -n 5 <<<"$warnings")" >&2
    failed=1
  fi
}
plan_vars=(-v PROTO=224 -v MAXLINES=20000 -v LINEMAX=8192 -v IFNAMEMAX=15 -v LABEL=:ep -v TWMIN=20000 -v TWMAX=29999
  -v PWMIN=20000 -v PWMAX=29999 -v GROUP=224 -v NETDEV="$SAMPLES/proc-net-dev.txt")
plan=(-f "$AWK_DIR/plan-grammar.awk" -f "$AWK_DIR/plan-bounds.awk" -f "$AWK_DIR/plan.awk")
for mode in validate observe translate owned; do
  lint "plan.awk MODE=$mode" "${plan_vars[@]}" -v MODE="$mode" "${plan[@]}" "$SAMPLES/plan-program-input.txt"
done
lint "plan.awk on no input" "${plan_vars[@]}" -v MODE=translate "${plan[@]}" /dev/null
for mode in inspect own; do
  lint "firewall.awk MODE=$mode (nft)" -v MODE="$mode" -v OWN=1 -v IPT=0 -v MAX=200 -f "$AWK_DIR/firewall.awk" "$SAMPLES/nft-ruleset.txt"
  lint "firewall.awk MODE=$mode (iptables)" -v MODE="$mode" -v OWN=1 -v IPT=1 -v MAX=200 -f "$AWK_DIR/firewall.awk" "$SAMPLES/iptables-save.txt"
done
for digest in 0 1; do
  lint "inspect-document.awk DIGEST=$digest" -v THRESHOLD=20000 -v FASTMAX=250000 -v SV=1 -v DIGEST="$digest" -f "$AWK_DIR/inspect-document.awk" "$SAMPLES/inspect-document-input.txt"
done
lint "restore.awk" -f "$AWK_DIR/restore.awk" "$SAMPLES/restore-input.txt"
lint "remove.awk" -v PROTO=224 -v LABEL=:ep -v TWMIN=20000 -v TWMAX=29999 -v PWMIN=20000 -v PWMAX=29999 -f "$AWK_DIR/remove.awk" "$SAMPLES/remove-input.txt"
lint "guard.awk" -f "$AWK_DIR/guard.awk" "$SAMPLES/guard-input.txt"
# a new program must get its run here (and a sample input in test/fixtures/agent)
for program in "$AWK_DIR"/*.awk; do
  [[ -n ${linted[$program]:-} ]] || { echo "awk-lint: $program is not linted: give it a run in $0" >&2; failed=1; }
done
((failed == 0)) || exit 1
echo "awk-lint: $(find "$AWK_DIR" -name '*.awk' | wc -l) programs clean (gawk --lint --posix)" >&2
