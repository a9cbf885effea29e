# shellcheck shell=bash
# agent remove: undoes everything eni-pbr installed, under apply's lock (docs/agent-protocol.md, Remove):
# its rules and routes (protocol 224 in its windows), the addresses it labelled, the link group it set,
# its nft table or iptables chains, the src_valid_mark it changed (put back to the value persist recorded
# before the first change), and its persisted state, unit and drop-in (lib/persist.sh). Foreign state
# is never read as its own: only the protocol, the label and the group say "eni-pbr's".

REMOVE_AWK=$(<"$AGENT_DIR/awk/remove.awk")
readonly REMOVE_AWK
readonly EXIT_REMOVE_FAILED=10

# list_own: the listings remove.awk reads, one section each.
list_own() {
  printf '==rule4\n'
  ip -4 -o -N rule show 2>/dev/null || true
  printf '==rule6\n'
  ip -6 -o -N rule show 2>/dev/null || true
  printf '==route4\n'
  ip -4 -o -N route show table all proto "$OWN_PROTO" 2>/dev/null || true
  printf '==route6\n'
  ip -6 -o -N route show table all proto "$OWN_PROTO" 2>/dev/null || true
  printf '==addr\n'
  ip -4 -o address show 2>/dev/null || true
  printf '==link\n'
  ip -o link show group "$LINK_GROUP" 2>/dev/null || true
}

# remove_lines: the ip lines that undo eni-pbr's kernel state, as "4 <line>" / "6 <line>".
remove_lines() {
  list_own | awk -v PROTO="$OWN_PROTO" -v LABEL="$LABEL_SUFFIX" -v TWMIN="$TABLE_WINDOW_MIN" -v TWMAX="$TABLE_WINDOW_MAX" \
    -v PWMIN="$PREF_WINDOW_MIN" -v PWMAX="$PREF_WINDOW_MAX" "$REMOVE_AWK"
}

cmd_remove() {
  local before_text before after lines line operations=0 status=0 svm saved_svm=""
  local -a v4=() v6=()
  RESULT_MODE=remove
  firewall_backend
  open_lock
  require_ip
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" || {
    print_apply_result refused 0 "" "" "lock not acquired within ${LOCK_WAIT_SECONDS}s"
    exit "$EXIT_LOCK"
  }
  trap '' TERM INT HUP # a half-done remove is finished, not abandoned: every step is idempotent
  journal_recover_locked # an apply killed earlier is undone first: remove then starts from its snapshot
  observe observe || true
  S_FW=$(print_own_firewall)
  owned_text before_text
  lines=$(remove_lines)
  while IFS= read -r line; do
    case $line in "4 "*) v4+=("${line#4 }") ;; "6 "*) v6+=("${line#6 }") ;; *) ;; esac
  done <<<"$lines"
  operations=$((${#v4[@]} + ${#v6[@]}))
  # the rules first (nothing is steered into a table being emptied), then routes, addresses and groups
  run_restore_batch 4 ${v4[@]+"${v4[@]}"} || status=1
  run_restore_batch 6 ${v6[@]+"${v6[@]}"} || status=1
  if [[ -n $S_FW ]]; then
    operations=$((operations + 1))
    restore_firewall "" || status=1
  fi
  read_sysctl svm /proc/sys/net/ipv4/conf/all/src_valid_mark
  [[ ! -f $PERSIST_DIR/src_valid_mark.before ]] || read -r saved_svm <"$PERSIST_DIR/src_valid_mark.before" || true
  if [[ $saved_svm =~ ^[0-9]+$ && $saved_svm != "$svm" ]]; then
    operations=$((operations + 1))
    write_src_valid_mark "$saved_svm" || status=1
  fi
  unpersist || status=1
  S_FW=$(print_own_firewall)
  after_digest before after "$before_text"
  if ((status != 0)) || [[ -n $(remove_lines) || -n $S_FW ]]; then
    print_apply_result failed "$operations" "$before" "$after" "${ERROR_TEXT:-some eni-pbr state could not be removed}"
    exit "$EXIT_REMOVE_FAILED"
  fi
  if ((operations == 0)); then
    print_apply_result unchanged 0 "$before" "$after" ""
  else
    print_apply_result removed "$operations" "$before" "$after" ""
  fi
  log "removed: $operations operations"
}
