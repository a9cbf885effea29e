# shellcheck shell=bash
# Faults for the dead-man and post-apply tests (test/agent/deadman.test.ts): only in a build assembled
# with faults (assembleAgent({ faults: true })); the shipped script carries none of this.
#   ENI_PBR_FAULT=steer:<address>:<table>  after the change, an eni-pbr rule (its priority window, its
#                                           protocol) sends <address> to <table>: the planner or guard
#                                           bug the post-apply check exists for
#   ENI_PBR_FAULT=pause:<seconds>          after the change, before the check: where a SIGKILL or a hang lands

# fault_after_apply: injects the fault ENI_PBR_FAULT names; status 0 (the check decides).
fault_after_apply() {
  local fault=${ENI_PBR_FAULT:-} pid
  if [[ $fault =~ ^steer:([0-9]{1,3}(\.[0-9]{1,3}){3}):([0-9]{1,5})$ ]]; then
    ip -4 rule add pref "$PREF_WINDOW_MIN" from "${BASH_REMATCH[1]}" lookup "${BASH_REMATCH[3]}" proto "$OWN_PROTO" || true
  elif [[ $fault =~ ^pause:([0-9]{1,3})$ ]]; then
    # wait returns when a trapped signal comes (SIGTERM from the dead-man); the sleep must not outlive the
    # agent holding the lock
    sleep "${BASH_REMATCH[1]}" &
    pid=$!
    wait "$pid" || true
    kill "$pid" 2>/dev/null || true
  fi
  return 0
}
