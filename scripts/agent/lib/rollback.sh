# shellcheck shell=bash
# The lock that serialises applies in one network namespace, and the exact restore of the snapshot when
# an apply fails or is interrupted.

RESTORE_AWK=$(<"$AGENT_DIR/awk/restore.awk")
readonly RESTORE_AWK

# open_lock: LOCK_FD on /run/eni-pbr/lock-<inode of the network namespace> (flock'ed by cmd_apply;
# ENI_PBR_STATE_DIR moves the directory, for tests: journal.sh).
LOCK_FD=""
open_lock() {
  local dir=$STATE_DIR
  # one lock per network namespace: applies in one namespace serialise, lab namespaces do not
  netns_id
  [[ -d $dir ]] || mkdir -m 0700 "$dir" 2>/dev/null || [[ -d $dir ]] || die "$EXIT_TOOL" "cannot create $dir"
  exec {LOCK_FD}>"$dir/lock-$NETNS_ID" || die "$EXIT_TOOL" "cannot open $dir/lock-$NETNS_ID"
}

# run_restore_batch FAMILY LINE...: keeps going past a failing line (-force): put back as much as
# possible, then report.
run_restore_batch() {
  local family=$1 out
  shift
  (($# > 0)) || return 0
  if ! out=$(printf '%s\n' "$@" | ip -force "-$family" -batch - 2>&1); then
    log "restore: ${out//$'\n'/; }"
    return 1
  fi
}

# restore_firewall OWN: puts the own firewall text back to OWN, when it differs.
restore_firewall() {
  local now fw_script
  now=$(print_own_firewall)
  [[ $now != "$1" ]] || return 0
  if [[ $FW_BACKEND == iptables ]]; then
    iptables_wait
    iptables_script fw_script "$1" "$now"
    restore_iptables "$fw_script"
  elif [[ -z $1 ]]; then
    delete_nft_table
  else
    replace_nft_table "$1"
  fi
}

# restore_snapshot: puts back exactly what the snapshot (S_OWNED, S_FW, S_SVM) held, touching only what
# differs.
restore_snapshot() {
  local owned=$S_OWNED fw=$S_FW svm=$S_SVM batch=$B4 line out ok=0 now_svm
  local -a addr_fix=() undo4=() undo6=()
  restore_firewall "$fw" || ok=1
  read_sysctl now_svm /proc/sys/net/ipv4/conf/all/src_valid_mark
  [[ $now_svm == "$svm" ]] || write_src_valid_mark "$svm" || ok=1
  observe observe || ok=1
  out=$(printf '==old\n%s\n==new\n%s\n==batch\n%s\n' "$owned" "$S_OWNED" "$batch" | awk "$RESTORE_AWK") || ok=1
  while IFS= read -r line; do
    case $line in
      "A "*) addr_fix+=("${line#A }") ;;
      "B4 "*) undo4+=("${line#B4 }") ;;
      "B6 "*) undo6+=("${line#B6 }") ;;
      "X "*) log "restore: ${line#X }" && ok=1 ;;
      *) ;;
    esac
  done <<<"$out"
  run_restore_batch 4 ${addr_fix[@]+"${addr_fix[@]}"} || ok=1
  run_restore_batch 4 ${undo4[@]+"${undo4[@]}"} || ok=1
  run_restore_batch 6 ${undo6[@]+"${undo6[@]}"} || ok=1
  S_OWNED=$owned S_FW=$fw S_SVM=$svm
  return "$ok"
}
