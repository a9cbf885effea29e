#!/usr/bin/env bash
# eni-pbr agent: the only eni-pbr code that touches an instance's kernel. It speaks docs/agent-protocol.md:
#   eni-pbr-agent.sh inspect   prints the host state as one JSON document
#   eni-pbr-agent.sh apply     applies the plan in $SSM_Plan (base64 of gzip), all or nothing
#   eni-pbr-agent.sh remove    undoes everything eni-pbr installed, its persisted state included
#   eni-pbr-agent.sh boot      re-applies the recorded plan (the boot unit's command)
#   eni-pbr-agent.sh deadman   apply's watchdog (lib/deadman.sh), started by apply itself
# This entry point and dispatcher runs over lib/*.sh (functions by concern) and awk/*.awk (the programs
# that read the kernel's listings and the plan). `npm run build:document` (scripts/ssm/assemble-agent.ts)
# inlines each `source` line below and each awk program as a constant: the SSM document
# ssm/eni-pbr-agent.json ships that one script, and the tests run it.
# Targets bash >= 4.2 and iproute2 >= 5.2 (-j and -N): no bash-5-only features, and no jq (not on every
# AMI). Speed: an exec costs ~3 ms: hot paths count processes; big outputs stay in awk or are cut by
# offset; a pipe is read as $(</dev/fd/N), not $(cat <&N); functions set a variable the caller names
# (printf -v) instead of printing into a command substitution.
set -euo pipefail
export LC_ALL=C

AGENT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/timing.sh
source "$AGENT_DIR/lib/timing.sh" # timing
# shellcheck source=lib/constants.sh
source "$AGENT_DIR/lib/constants.sh"
# shellcheck source=lib/output.sh
source "$AGENT_DIR/lib/output.sh"
# shellcheck source=lib/inspect.sh
source "$AGENT_DIR/lib/inspect.sh"
# shellcheck source=lib/firewall.sh
source "$AGENT_DIR/lib/firewall.sh"
# shellcheck source=lib/connmark.sh
source "$AGENT_DIR/lib/connmark.sh"
# shellcheck source=lib/plan.sh
source "$AGENT_DIR/lib/plan.sh"
# shellcheck source=lib/apply.sh
source "$AGENT_DIR/lib/apply.sh"
# shellcheck source=lib/rollback.sh
source "$AGENT_DIR/lib/rollback.sh"
# shellcheck source=lib/journal.sh
source "$AGENT_DIR/lib/journal.sh"
# shellcheck source=lib/state.sh
source "$AGENT_DIR/lib/state.sh"
# shellcheck source=lib/guard.sh
source "$AGENT_DIR/lib/guard.sh"
# shellcheck source=lib/apply-command.sh
source "$AGENT_DIR/lib/apply-command.sh"
# shellcheck source=lib/persist.sh
source "$AGENT_DIR/lib/persist.sh"
# shellcheck source=lib/remove.sh
source "$AGENT_DIR/lib/remove.sh"
# shellcheck source=lib/deadman.sh
source "$AGENT_DIR/lib/deadman.sh"
# shellcheck source=lib/fault.sh
source "$AGENT_DIR/lib/fault.sh" # fault

require_tools() {
  local tool
  if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 2))); then
    die "$EXIT_TOOL" "bash >= 4.2 required, found $BASH_VERSION"
  fi
  for tool in ip awk flock gzip base64 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$EXIT_TOOL" "required tool missing: $tool"
  done
  # -N (iproute2 5.2) keeps rt_tables names out of the comparisons; probed alongside apply's lock
  exec {IP_PROBE}< <(ip -j -N link show lo >/dev/null 2>&1 && printf ok)
}

# require_ip: the probe's verdict (exit 7 without -j or -N).
require_ip() {
  local ok=""
  read -r ok <&"$IP_PROBE" || [[ $ok == ok ]] || die "$EXIT_TOOL" "this iproute2 lacks JSON (-j) or numeric (-N) output; 5.2 or later is needed"
}

main() {
  local mode=${1:-${SSM_Mode:-}}
  case $mode in
    inspect)
      require_tools
      require_ip
      cmd_inspect
      ;;
    apply)
      require_tools
      cmd_apply
      ;;
    remove)
      require_tools
      cmd_remove
      ;;
    boot)
      require_tools
      cmd_boot
      ;;
    deadman)
      cmd_deadman "${@:2}" # its tools are checked only when it has something to restore
      ;;
    *) die "$EXIT_USAGE" "usage: eni-pbr-agent.sh inspect|apply|remove|boot (plan in SSM_Plan)" ;;
  esac
}

main "$@"
