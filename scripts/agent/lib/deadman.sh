# shellcheck shell=bash
# The dead-man timer (issue 12; as `netplan try` reverts unless confirmed). Apply arms it before its
# first change: a watchdog — this script again, mode deadman — in a session of its own, so the SIGKILL
# SSM sends to the command's process group on timeout or cancel (journal.sh) does not reach it. It
# reads a pipe only the agent writes to. An agent that ends in order (applied and confirmed by the
# post-apply check, rolled back, refused) says "done" (an EXIT trap); one that dies says nothing and
# the pipe ends: the watchdog then restores the journal's snapshot under the lock at once, instead of
# waiting for a next run that may never come. An agent silent past the deadline (hung) gets SIGTERM
# (apply rolls itself back), then SIGKILL, and the watchdog restores what is left.
# ENI_PBR_DEADMAN_SECONDS: the deadline (default 60; 0: no timer, the journal waits for the next run).
# The watchdog logs to <state dir>/deadman-<netns>.log and leaves what it restored in
# <state dir>/recovered-<netns>, which the next inspect reports in state.recovered.

readonly DEADMAN_DEFAULT_SECONDS=60 DEADMAN_GRACE_SECONDS=10
# the script this agent runs from, which the watchdog runs again
if [[ $0 == /* ]]; then AGENT_SCRIPT=$0; else AGENT_SCRIPT=$PWD/$0; fi
readonly AGENT_SCRIPT
DEADMAN_FD=""

# deadman_arm: starts the watchdog (under the lock, before journal_begin); a host without setsid gets
# none (logged): the journal still undoes a killed apply at the next run.
deadman_arm() {
  local seconds=${ENI_PBR_DEADMAN_SECONDS:-$DEADMAN_DEFAULT_SECONDS} agent=$$ log_file
  [[ $seconds =~ ^[0-9]{1,5}$ ]] || seconds=$DEADMAN_DEFAULT_SECONDS
  ((seconds > 0)) || return 0
  if ! command -v setsid >/dev/null 2>&1 || [[ ! -r $AGENT_SCRIPT ]]; then
    log "dead-man: no setsid or no readable agent script; a killed apply is undone by the next run"
    return 0
  fi
  netns_id
  log_file="$STATE_DIR/deadman-$NETNS_ID.log"
  # setsid without -f: the process substitution's child is no group leader, so it leaves the group in
  # place; the lock is not inherited (the watchdog takes it itself), nor SSM's stdout and stderr
  exec {DEADMAN_FD}> >(exec setsid "$BASH" "$AGENT_SCRIPT" deadman "$agent" "$seconds" {LOCK_FD}>&- >"$log_file" 2>&1)
  trap deadman_done EXIT
}

# deadman_done: the EXIT trap: "done" to the watchdog (it checks the journal is gone and ends).
deadman_done() {
  [[ -n $DEADMAN_FD ]] || return 0
  printf 'done\n' 1>&"$DEADMAN_FD" 2>/dev/null || true
  exec {DEADMAN_FD}>&-
  DEADMAN_FD=""
}

# deadman_signal SIGNAL PID: signals PID if it still is this agent (its command line names the script).
deadman_signal() {
  local cmdline=""
  [[ -r /proc/$2/cmdline ]] || return 0
  cmdline=$(tr '\000' ' ' <"/proc/$2/cmdline" 2>/dev/null) || return 0
  [[ $cmdline == *"$AGENT_SCRIPT"* ]] || return 0
  kill "-$1" "$2" 2>/dev/null || true
}

# cmd_deadman AGENT_PID SECONDS: the watchdog (stdin: the pipe from deadman_arm).
cmd_deadman() {
  local agent=${1:-} seconds=${2:-} word="" status=0 how="without a word (killed)"
  [[ $agent =~ ^[0-9]{1,9}$ && $seconds =~ ^[0-9]{1,5}$ ]] || die "$EXIT_USAGE" "usage: eni-pbr-agent.sh deadman <agent pid> <seconds> (apply starts it)"
  read -r -t "$seconds" word || status=$?
  if ((status > 128)); then
    log "dead-man: apply (pid $agent) unconfirmed after ${seconds}s: SIGTERM (it rolls back itself)"
    deadman_signal TERM "$agent"
    status=0
    read -r -t "$DEADMAN_GRACE_SECONDS" word || status=$?
    if ((status > 128)); then
      log "dead-man: apply (pid $agent) still running after ${DEADMAN_GRACE_SECONDS}s: SIGKILL"
      deadman_signal KILL "$agent"
      read -r -t "$DEADMAN_GRACE_SECONDS" word || true
    fi
  fi
  [[ -z $word ]] || how="in order"
  journal_path
  if [[ -f $JOURNAL_FILE ]]; then
    log "dead-man: apply (pid $agent) ended $how with its journal still there: restoring its snapshot"
    deadman_recover
  else
    log "dead-man: apply (pid $agent) ended $how; no journal: nothing to restore"
  fi
  # SSM's wrapper copies the agent to a temporary file it deletes on exit; killed with the agent, it
  # could not: the watchdog, started from that copy, removes it
  if [[ -z $word && $AGENT_SCRIPT =~ /eni-pbr-agent\.[A-Za-z0-9]{8}$ ]]; then rm -f "$AGENT_SCRIPT"; fi
}

# deadman_recover: the journal's snapshot restored under the lock, and noted for the next inspect.
deadman_recover() {
  [[ -f $JOURNAL_FILE ]] || return 0
  require_tools
  open_lock
  require_ip
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" || {
    log "dead-man: lock not acquired within ${LOCK_WAIT_SECONDS}s; the next run restores the journal"
    return 0
  }
  firewall_backend
  journal_recover_locked
  flock -u "$LOCK_FD"
  [[ $RECOVERED_JSON == "[]" ]] || printf '%s\n' "$RECOVERED_JSON" >"$RECOVERED_FILE"
  log "dead-man: recovered $RECOVERED_JSON"
}
