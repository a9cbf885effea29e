# shellcheck shell=bash
# The apply journal (issue 14): SSM ends a command that times out or is cancelled with SIGKILL to its
# whole process group (amazon-ssm-agent executers_unix.go killProcess), so no trap restores anything.
# Before its first change apply writes what it is about to change — the snapshot and the batch — to a
# journal next to the lock; it removes it once it printed its result. A journal found later is an apply
# that was killed: the next run (inspect, apply, or the audit's inspect) restores its snapshot under
# the lock and reports it in the inspect document's state.recovered.
# Interface (also for the host-survival dead-man timer):
#   journal_begin            before the first change (S_OWNED, S_FW, S_SVM, B4 set): writes the journal
#   journal_end              after the result: removes it
#   journal_recover_locked   with the lock held: restores a journal's snapshot if one is there
#   RECOVERED_JSON           [] or the recovered applies, for the inspect document
# ENI_PBR_STATE_DIR overrides /run/eni-pbr (tests); one journal per network namespace, like the lock.

RECOVERED_JSON="[]"
JOURNAL_FILE=""

# netns_id: NETNS_ID = the inode of this network namespace (one lock, journal and dead-man per namespace),
# read once per run.
NETNS_ID=""
netns_id() {
  [[ -n $NETNS_ID ]] || NETNS_ID=$(stat -L -c %i /proc/self/ns/net 2>/dev/null || printf 'default')
}

# journal_path: JOURNAL_FILE = <state dir>/journal-<inode of the network namespace>; RECOVERED_FILE beside
# it holds what the dead-man timer (lib/deadman.sh) recovered, for the next inspect to report.
RECOVERED_FILE=""
journal_path() {
  netns_id
  JOURNAL_FILE="$STATE_DIR/journal-$NETNS_ID"
  RECOVERED_FILE="$STATE_DIR/recovered-$NETNS_ID"
}

readonly STATE_DIR=${ENI_PBR_STATE_DIR:-/run/eni-pbr}

journal_begin() {
  local name value
  journal_path
  # each value as "NAME <bytes>" and its exact text (trailing newlines included), with builtins only.
  # Written in place (no rename: a fork less): a journal cut short (killed while writing it, before
  # anything changed) lacks its "end" line, and journal_load refuses it
  {
    printf 'eni-pbr-journal 2 %(%s)T\n' -1
    for name in S_SVM FW_BACKEND S_FW S_OWNED B4; do
      value=${!name}
      printf '%s %d\n%s\n' "$name" "${#value}" "$value"
    done
    printf 'end\n'
  } >"$JOURNAL_FILE" || log "journal: cannot write $JOURNAL_FILE; a killed apply would not be recovered"
}

journal_end() {
  [[ -n $JOURNAL_FILE ]] || journal_path
  rm -f "$JOURNAL_FILE"
}

# journal_load FILE: sets S_SVM FW_BACKEND S_FW S_OWNED B4 from a complete journal; status 1 otherwise.
journal_load() {
  local header name size value rest count=0
  {
    IFS= read -r header || return 1
    while read -r name size rest; do
      case $name in
        S_SVM | FW_BACKEND | S_FW | S_OWNED | B4)
          [[ $size =~ ^[0-9]{1,9}$ && -z $rest ]] || return 1
          value=""
          # -N: exactly that many bytes (LC_ALL=C), newlines included; then the line's own newline
          ((size == 0)) || IFS= read -r -N "$size" value || return 1
          ((${#value} == size)) && IFS= read -r rest && [[ -z $rest ]] || return 1
          printf -v "$name" '%s' "$value"
          count=$((count + 1))
          ;;
        end) ((count == 5)) && return 0 ;;
        *) return 1 ;;
      esac
    done
  } <"$1"
  return 1
}

journal_recover_locked() {
  local text started outcome error=null before after
  journal_path
  [[ -f $JOURNAL_FILE ]] || return 0
  read -r text <"$JOURNAL_FILE" || text=""
  [[ $text =~ ^eni-pbr-journal\ 2\ ([0-9]+)$ ]] && started=${BASH_REMATCH[1]} || started=""
  if [[ -n $started ]] && journal_load "$JOURNAL_FILE"; then
    log "journal: an apply started at $started was killed; restoring its snapshot"
    owned_text before
    restore_snapshot || log "journal: some restore lines failed; comparing the state with the snapshot"
    S_FW=$(print_own_firewall)
    after_digest before after "$before"
    outcome=rolled-back
    [[ $after == "$before" ]] || { outcome=rollback-failed && json_string error "the state differs from the journal's snapshot"; }
    printf -v RECOVERED_JSON '[{"startedAt":%d,"outcome":"%s","error":%s}]' "$started" "$outcome" "$error"
  else
    log "journal: $JOURNAL_FILE is incomplete (killed while writing it: nothing had changed yet) or not this agent's format; nothing restored"
  fi
  rm -f "$JOURNAL_FILE"
}

# journal_recover_if_any: inspect's entry: takes the lock only when a journal is there (bounded wait), and
# reports what the dead-man timer recovered since the last inspect.
journal_recover_if_any() {
  local noted=""
  journal_path
  if [[ -f $RECOVERED_FILE ]]; then
    read -r noted <"$RECOVERED_FILE" || true
    rm -f "$RECOVERED_FILE"
    # written by this agent; still, only its exact form reaches the document
    [[ $noted =~ ^\[\{\"startedAt\":[0-9]{1,12},\"outcome\":\"(rolled-back|rollback-failed)\",\"error\":(null|\"[^\"\\]{0,300}\")\}\]$ ]] || noted=""
  fi
  if [[ -f $JOURNAL_FILE ]]; then
    open_lock
    if flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD"; then
      firewall_backend
      journal_recover_locked
      flock -u "$LOCK_FD"
    else
      log "journal: lock busy; recovery left to the next run"
    fi
  fi
  [[ -n $noted ]] || return 0
  if [[ $RECOVERED_JSON == "[]" ]]; then RECOVERED_JSON=$noted; else RECOVERED_JSON="${noted%]},${RECOVERED_JSON#[}"; fi
}
