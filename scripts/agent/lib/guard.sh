# shellcheck shell=bash
# Never lock out (docs/agent-protocol.md): before apply changes anything, the plan is checked against the
# primary ENI's path (awk/guard.awk): a plan that would send the primary address's traffic to the
# metadata service or to the region's SSM endpoints anywhere but where main sends it is refused with
# EXIT_LOCKOUT. After the change, the kernel is asked again where that traffic goes (`ip route get`, the
# probes the guard printed): any difference is a failed apply, rolled back like any other.

GUARD_AWK=$(<"$AGENT_DIR/awk/guard.awk")
readonly GUARD_AWK
readonly EXIT_LOCKOUT=11
ENDPOINTS_FD=""
PROBES=""      # the primary path's route lookups, as ip -batch lines
PATH_BEFORE="" # what the kernel answered to them before the change

# endpoints_start: resolves the region's SSM endpoints in the background, while the plan is translated.
# The SSM Agent gives every command AWS_SSM_REGION_NAME; without it (a lab, a test, the boot unit) the
# guard knows the metadata service only.
endpoints_start() {
  local region=${AWS_SSM_REGION_NAME:-} domain=amazonaws.com
  [[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$ ]] && command -v getent >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1 || return 0
  [[ $region != cn-* ]] || domain=amazonaws.com.cn
  exec {ENDPOINTS_FD}< <(timeout 5 getent ahostsv4 "ssm.$region.$domain" "ssmmessages.$region.$domain" "ec2messages.$region.$domain" 2>/dev/null || true)
}

# guard_start TEXT: the guard's verdict on the plan TEXT, worked out in the background (the kernel read,
# the endpoints awaited, the path before asked) while the plan is translated; guard_primary reads it.
GUARD_FD=""
guard_start() {
  exec {GUARD_FD}< <(guard_verdict "$1")
  if [[ -n $ENDPOINTS_FD ]]; then
    exec {ENDPOINTS_FD}<&-
    ENDPOINTS_FD=""
  fi
}

# guard_verdict TEXT: prints the guard program's verdict; after "OK" and its probes, "==path" and where
# the kernel sends each probe before the change, then "==end".
guard_verdict() {
  local out endpoints="" path
  [[ -z $ENDPOINTS_FD ]] || endpoints=$(<"/dev/fd/$ENDPOINTS_FD")
  out=$({
    printf '==kernel\n'
    ip -4 -o -N -force -batch - 2>/dev/null <<<$'link show\naddress show\nroute show table all' || true
    printf '==endpoints\n%s\n==plan\n%s\n' "$endpoints" "$1"
  } | awk "$GUARD_AWK") || out=""
  printf '%s\n' "$out"
  [[ $out == OK$'\n'* ]] || return 0
  PROBES=${out#OK$'\n'}
  primary_path path
  printf '==path\n%s==end' "$path" # the end mark keeps the path's trailing newline
}

# guard_primary TEXT: refuses (and exits) when the plan TEXT would cut the primary's path; otherwise
# sets PROBES and PATH_BEFORE. A guard that cannot decide refuses too: the lockout is the one failure
# nothing on the instance can undo.
guard_primary() {
  local out
  [[ -n $GUARD_FD ]] || guard_start "$1"
  out=$(<"/dev/fd/$GUARD_FD")
  exec {GUARD_FD}<&-
  GUARD_FD=""
  case $out in
    OK) PROBES="" ;;
    OK$'\n'*$'\n==path\n'*==end)
      # a few lines each: the expansions stay cheap
      PROBES=${out#OK$'\n'}
      PROBES=${PROBES%%$'\n==path\n'*}
      PATH_BEFORE=${out#*$'\n==path\n'}
      PATH_BEFORE=${PATH_BEFORE%==end}
      ;;
    "REFUSE "*)
      out=${out#REFUSE }
      refuse "${out%% *}" "${out#* }" || true
      refuse_plan "$EXIT_LOCKOUT"
      ;;
    *)
      refuse 0 "the primary-path guard failed; nothing was changed" || true
      refuse_plan "$EXIT_LOCKOUT"
      ;;
  esac
}

# primary_path NAME: sets NAME to where the kernel sends each probe now, as "<dst> via <router> dev <dev>"
# (route get's table, uid and cache left out: a managed primary's own table takes the same path), or
# the error it gave.
primary_path() {
  local line answer="" word key
  local -a words=()
  while IFS= read -r line; do
    read -r -a words <<<"$line"
    key=${words[0]:-}
    if [[ $key =~ ^[0-9.]+$ ]]; then
      for ((word = 1; word + 1 < ${#words[@]}; word++)); do
        case ${words[word]} in from | via | dev) key+=" ${words[word]} ${words[word + 1]}" ;; *) ;; esac
      done
    else
      key=$line # the kernel's refusal, as ip printed it
    fi
    answer+="$key"$'\n'
  done < <(ip -4 -o -force -batch - <<<"$PROBES" 2>&1 || true)
  printf -v "$1" '%s' "$answer"
}

# check_primary_path: after the change: status 0 when every probe takes the path it took before;
# otherwise ERROR_TEXT says how it changed.
check_primary_path() {
  local now
  [[ -n $PROBES ]] || return 0
  primary_path now
  [[ $now != "$PATH_BEFORE" ]] || return 0
  ERROR_TEXT="post-apply check: the primary ENI's path changed; before: ${PATH_BEFORE//$'\n'/; } after: ${now//$'\n'/; }"
  ERROR_TEXT=${ERROR_TEXT:0:ERROR_MAX}
  return 1
}
