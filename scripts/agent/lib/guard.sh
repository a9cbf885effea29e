# shellcheck shell=bash
# Never lock out (docs/agent-protocol.md): before apply changes anything, the plan is checked against the
# primary ENI's path (awk/guard.awk): a plan that would send the primary address's traffic (SSM, the
# metadata service) anywhere but main's default route is refused with EXIT_LOCKOUT.

GUARD_AWK=$(<"$AGENT_DIR/awk/guard.awk")
readonly GUARD_AWK
readonly EXIT_LOCKOUT=11

# guard_primary: refuses (and exits) when the plan in $SSM_Plan would cut the primary's path.
guard_primary() {
  local text="" out
  decode_plan text || return 0 # undecodable: apply has refused it already
  out=$({
    printf '==main\n'
    ip -4 -o route show table main default 2>/dev/null || true
    printf '==addr\n'
    ip -4 -o address show 2>/dev/null || true
    printf '==link\n'
    ip -o link show 2>/dev/null || true
    printf '==routes\n'
    ip -4 -o -N route show table all 2>/dev/null || true
    printf '==plan\n%s\n' "$text"
  } | awk "$GUARD_AWK") || out="OK"
  [[ $out == "REFUSE "* ]] || return 0
  out=${out#REFUSE }
  refuse "${out%% *}" "${out#* }" || true
  refuse_plan "$EXIT_LOCKOUT"
}
