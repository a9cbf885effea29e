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

# journal_path: JOURNAL_FILE = <state dir>/journal-<inode of the network namespace>
journal_path() {
  local netns_id
  netns_id=$(stat -L -c %i /proc/self/ns/net 2>/dev/null || printf 'default')
  JOURNAL_FILE="$(state_dir)/journal-$netns_id"
}

state_dir() { printf '%s' "${ENI_PBR_STATE_DIR:-/run/eni-pbr}"; }

journal_begin() {
  local tmp name
  journal_path
  tmp="$JOURNAL_FILE.tmp"
  # each value base64'd on its own line (exact, trailing newlines included); written whole, then
  # renamed: a journal is either complete or absent
  {
    printf 'eni-pbr-journal 1 %(%s)T\n' -1
    for name in S_SVM FW_BACKEND S_FW S_OWNED B4; do printf '%s %s\n' "$name" "$(printf '%s' "${!name}" | base64 -w0)"; done
    printf 'end\n'
  } >"$tmp" && mv -f "$tmp" "$JOURNAL_FILE" || log "journal: cannot write $JOURNAL_FILE; a killed apply would not be recovered"
}

journal_end() {
  [[ -n $JOURNAL_FILE ]] || journal_path
  rm -f "$JOURNAL_FILE"
}

# journal_load FILE: sets S_SVM FW_BACKEND S_FW S_OWNED B4 from a complete journal; status 1 otherwise.
journal_load() {
  local name value count=0
  while read -r name value; do
    case $name in
      S_SVM | FW_BACKEND | S_FW | S_OWNED | B4)
        # read -d '': command substitution would drop the value's trailing newlines
        IFS= read -r -d '' "$name" < <(base64 -d <<<"$value" 2>/dev/null) || true
        count=$((count + 1))
        ;;
      end) ((count == 5)) && return 0 ;;
      *) ;;
    esac
  done < <(tail -n +2 "$1")
  return 1
}

journal_recover_locked() {
  local text started outcome error=null before after
  journal_path
  [[ -f $JOURNAL_FILE ]] || return 0
  read -r text <"$JOURNAL_FILE" || text=""
  if [[ $text =~ ^eni-pbr-journal\ 1\ ([0-9]+)$ ]] && journal_load "$JOURNAL_FILE"; then
    started=${BASH_REMATCH[1]}
    log "journal: an apply started at $started was killed; restoring its snapshot"
    owned_text before
    restore_snapshot || log "journal: some restore lines failed; comparing the state with the snapshot"
    S_FW=$(print_own_firewall)
    after_digest before after "$before"
    outcome=rolled-back
    [[ $after == "$before" ]] || { outcome=rollback-failed && json_string error "the state differs from the journal's snapshot"; }
    printf -v RECOVERED_JSON '[{"startedAt":%d,"outcome":"%s","error":%s}]' "$started" "$outcome" "$error"
  else
    log "journal: $JOURNAL_FILE is incomplete (killed while writing it): nothing had changed yet"
  fi
  rm -f "$JOURNAL_FILE"
}

# journal_recover_if_any: inspect's entry: takes the lock only when a journal is there (bounded wait).
journal_recover_if_any() {
  journal_path
  [[ -f $JOURNAL_FILE ]] || return 0
  open_lock
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" || { log "journal: lock busy; recovery left to the next run" && return 0; }
  firewall_backend
  journal_recover_locked
  flock -u "$LOCK_FD"
}
