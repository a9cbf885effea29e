# shellcheck shell=bash
# Running the queued work: the ip batches, the sysctl and the firewall transaction, alongside each other
# where nothing orders them; and the owned-state digests that say what changed.

ERROR_TEXT="" # what the failing step printed, cut at ERROR_MAX

# feed LABEL TEXT COMMAND...: COMMAND (constant words) with TEXT on stdin; ERROR_TEXT on failure.
feed() {
  local label=$1 text=$2 out
  shift 2
  out=$("$@" 2>&1 <<<"$text") && return 0
  ERROR_TEXT="$label: ${out//$'\n'/; }"
  ERROR_TEXT=${ERROR_TEXT:0:ERROR_MAX} # a failing batch can print a line per command
  return 1
}

# run_batch FAMILY TEXT: one ip process for all lines; stops at the first failing line.
run_batch() {
  [[ -n $2 ]] || return 0
  feed "ip -$1 -batch" "$2" ip "-$1" -batch -
}

write_src_valid_mark() {
  printf '%s\n' "$1" >/proc/sys/net/ipv4/conf/all/src_valid_mark 2>/dev/null || {
    ERROR_TEXT="cannot write net.ipv4.conf.all.src_valid_mark"
    return 1
  }
}

# apply_queued: the ip batches and the sysctl; the firewall and the IPv4 rules (needing no address or
# route) alongside; all end before the outcome is known. (Addresses and onlink routes: one batch.)
# Sets AFTER_FW_JSON (the after-inspect's firewall member) and AFTER_S_FW (the own firewall text after
# applying, for the after digest).
AFTER_S_FW=""
apply_queued() {
  local fw_fd fw_result rule_fd status=0
  exec {fw_fd}< <(report_firewall) {rule_fd}< <(if run_batch 4 "$R4"; then printf ok; else printf '%s' "$ERROR_TEXT"; fi)
  start_managers
  if ! run_batch 4 "$B4" || ! run_batch 6 "$B6"; then
    status=1
  elif [[ -n $SYSCTL_TARGET ]] && ! write_src_valid_mark "$SYSCTL_TARGET"; then
    status=1
  fi
  fw_result=$(<"/dev/fd/$rule_fd")
  [[ $fw_result == ok || $status == 1 ]] || ERROR_TEXT=${fw_result:-"the rule batch did not report"} status=1
  fw_result=$(<"/dev/fd/$fw_fd")
  exec {fw_fd}<&- {rule_fd}<&-
  if [[ $fw_result == ok$'\n'* ]]; then
    fw_result=${fw_result#ok$'\n'}
    # the first line by substitution: ${x%%$'\n'*} is quadratic in bash, and read takes a here-string
    # byte by byte from a pipe (30 ms for the 22 KB the largest instance's own table prints as JSON)
    AFTER_FW_JSON=${fw_result/$'\n'*/}
    AFTER_S_FW=${fw_result:${#AFTER_FW_JSON}+1}
  else
    [[ $status == 1 ]] || ERROR_TEXT=${fw_result:-"the firewall transaction did not report"}
    status=1
  fi
  return "$status"
}

# owned_text NAME: sets NAME to everything apply may touch, the text the before/after digests hash.
owned_text() {
  printf -v "$1" 'owned\n%s\nfirewall %s\n%s\nsrc_valid_mark %s' "$S_OWNED" "$FW_BACKEND" "$S_FW" "$S_SVM"
}

# after_digest BEFORE_NAME AFTER_NAME BEFORE_TEXT: sets BEFORE_NAME to the sha256 of BEFORE_TEXT and
# AFTER_NAME to that of the owned text read again now (S_FW given), in one sha256sum.
after_digest() {
  local rest svm
  read_sysctl svm /proc/sys/net/ipv4/conf/all/src_valid_mark
  { read -r "$1" rest && read -r "$2" rest; } < <({
    printf 'owned\n'
    list_kernel | awk "${PLAN_AWK_VARS[@]}" -v MODE=owned "$PLAN_AWK"
    printf '\nfirewall %s\n%s\nsrc_valid_mark %s\n' "$FW_BACKEND" "$S_FW" "$svm"
  } | sha256sum /dev/fd/3 - 3<<<"$3")
}
