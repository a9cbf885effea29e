# shellcheck shell=bash
# agent apply: decode, validate and translate the plan under the lock, apply it all or nothing, and
# print the result with the state after (docs/agent-protocol.md, Apply).

# refuse_plan CODE: prints the refusal (REFUSAL) with the digest of the state, unchanged, and exits CODE.
refuse_plan() {
  local code=$1 digest
  firewall_backend
  S_FW=$(print_own_firewall)
  after_digest digest digest ""
  log "plan refused: $REFUSAL"
  print_apply_result refused 0 "$digest" "$digest" "$REFUSAL"
  exit "$code"
}

# decode_or_refuse NAME: sets NAME to the decoded plan, or refuses it.
decode_or_refuse() {
  local status=0
  decode_plan "$1" || status=$?
  ((status != 0)) || return 0
  REFUSAL="line 0: Plan is not base64 of a gzip stream of at most $PLAN_MAX_BYTES bytes"
  ((status != 2)) || REFUSAL="line 0: the plan holds a NUL or \\001 byte"
  refuse_plan "$EXIT_REFUSED"
}

# take_lock_and_translate: the plan decoded (PLAN_TEXT) and translated against the host state read under
# the lock (the queued work and the snapshot); refuses (and exits) on a bad plan or a lock not acquired.
PLAN_TEXT=""
take_lock_and_translate() {
  local text="" list_fd fw_fd
  open_lock
  require_ip
  if flock -n "$LOCK_FD"; then
    journal_recover_locked # an apply killed earlier is undone before anything is read
    boot_plan_current
    # free: the kernel is read while the plan is decoded; the plan program validates every line
    # before it translates one, and bash reads its verdict before anything else it printed
    exec {list_fd}< <(list_kernel) {fw_fd}< <(print_own_firewall)
    decode_or_refuse text
    PLAN_TEXT=$text
    guard_start "$text"
    plan_state_of "$text"
    translate_plan "$text" "$list_fd" "$fw_fd" || refuse_plan "$REFUSAL_CODE"
    return 0
  fi
  # a busy lock: a refused plan must not wait for it
  decode_or_refuse text
  PLAN_TEXT=$text
  plan_state_of "$text"
  validate_plan "$text" || refuse_plan "$EXIT_REFUSED"
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" || {
    REFUSAL="lock not acquired within ${LOCK_WAIT_SECONDS}s"
    refuse_plan "$EXIT_LOCK"
  }
  journal_recover_locked
  boot_plan_current
  translate_plan "$text" || refuse_plan "$REFUSAL_CODE"
}

# roll_back OPERATIONS BEFORE_TEXT: restores the snapshot after a failed or interrupted apply, prints
# rolled-back or rollback-failed and exits with its code.
roll_back() {
  local before after
  [[ -z $INTERRUPTED ]] || ERROR_TEXT="interrupted by $INTERRUPTED while applying${ERROR_TEXT:+; $ERROR_TEXT}"
  log "apply failed, restoring: $ERROR_TEXT"
  AFTER_FW_JSON=""
  # the digest decides: a restore line may fail for something already gone (deleting a primary
  # address takes its secondaries along) while the state is back exactly
  restore_snapshot || log "restore: some lines failed; comparing the state with the snapshot"
  S_FW=$(print_own_firewall)
  after_digest before after "$2"
  if [[ $after == "$before" ]]; then
    print_apply_result rolled-back "$1" "$before" "$after" "$ERROR_TEXT"
    journal_end
    exit "$EXIT_ROLLED_BACK"
  fi
  print_apply_result rollback-failed "$1" "$before" "$after" "$ERROR_TEXT; restore incomplete"
  journal_end
  exit "$EXIT_ROLLBACK_FAILED"
}

INTERRUPTED="" # the signal that came while the kernel changed
cmd_apply() {
  local before_text operations inspect_fd before after rest applied=true
  [[ -n ${SSM_Plan:-} ]] || die "$EXIT_USAGE" "apply needs the Plan parameter (SSM_Plan)"
  decode_start
  firewall_backend
  endpoints_start
  take_lock_and_translate
  guard_primary "$PLAN_TEXT"
  timing_mark translated # timing
  owned_text before_text
  read -r before rest < <(sha256sum <<<"$before_text")
  refuse_if_stale "$before"
  count_pending operations
  if ((operations == 0)); then
    print_apply_result unchanged 0 "$before" "$before" ""
    persist_applied ""
    return 0
  fi
  # SIGTERM/INT/HUP (an SSM cancel or timeout) while the kernel changes: noted (bash runs a trap after
  # the command in flight), then the snapshot is restored with them ignored and the result says so.
  trap 'INTERRUPTED=SIGTERM' TERM
  trap 'INTERRUPTED=SIGINT' INT
  trap 'INTERRUPTED=SIGHUP' HUP
  # SIGKILL (SSM's timeout and cancel) from here on is undone by the dead-man timer at once, or by the
  # next run; the change stands only once the primary's path is checked unchanged
  deadman_arm
  journal_begin
  apply_queued && [[ -z $INTERRUPTED ]] || applied=false
  [[ $applied == false ]] || fault_after_apply # fault
  [[ $applied == false ]] || { check_primary_path && [[ -z $INTERRUPTED ]]; } || applied=false
  if [[ $applied == false ]]; then
    trap '' TERM INT HUP
    roll_back "$operations" "$before_text"
  fi
  trap '' TERM INT HUP # applied and checked: the result (a few ms more) is printed whatever comes now
  timing_mark applied # timing
  # the after-inspect (reads only) gives the after digest too: its state member's digest is the owned
  # state read after the change; the core verifies by re-planning the after-inspect
  # (functions/use-cases/remediate-instance.ts)
  S_FW=$AFTER_S_FW
  exec {inspect_fd}< <(print_inspect after)
  IFS= read -r after <&"$inspect_fd" || after=""
  [[ $after =~ ^[0-9a-f]{64}$ ]] || after_digest before after "$before_text"
  timing_mark "after digest" # timing
  print_apply_result applied "$operations" "$before" "$after" "" "$inspect_fd"
  journal_end
  exec {inspect_fd}<&-
  timing_mark "after-inspect printed" # timing
  log "applied $operations operations"
  persist_applied "${SYSCTL_TARGET:+$S_SVM}"
  timing_log # timing
}
