# shellcheck shell=bash
# The plan: decoded from $SSM_Plan, checked line by line against the grammar (awk/plan-grammar.awk),
# and translated against the host state into the queued work apply runs (awk/plan.awk).

PLAN_GRAMMAR_AWK=$(<"$AGENT_DIR/awk/plan-grammar.awk")
PLAN_BOUNDS_AWK=$(<"$AGENT_DIR/awk/plan-bounds.awk")
PLAN_TRANSLATE_AWK=$(<"$AGENT_DIR/awk/plan.awk")
# one program: the grammar's functions, the bounds of what a line may mean, then the translator
readonly PLAN_AWK=$PLAN_GRAMMAR_AWK$'\n'$PLAN_BOUNDS_AWK$'\n'$PLAN_TRANSLATE_AWK

# The program's constants (awk is called directly: a function would fork once more).
readonly -a PLAN_AWK_VARS=(-v PROTO="$OWN_PROTO" -v MAXLINES="$PLAN_MAX_LINES" -v LINEMAX="$PLAN_LINE_MAX" -v IFNAMEMAX="$IFNAME_MAX" -v LABEL="$LABEL_SUFFIX"
  -v TWMIN="$TABLE_WINDOW_MIN" -v TWMAX="$TABLE_WINDOW_MAX" -v PWMIN="$PREF_WINDOW_MIN" -v PWMAX="$PREF_WINDOW_MAX" -v GROUP="$LINK_GROUP")

# REFUSAL: why the plan was refused ("line <n>: <reason>"); REFUSAL_CODE: the exit code it gets.
REFUSAL=""
REFUSAL_CODE=$EXIT_REFUSED
refuse() {
  REFUSAL="line $1: $2"
  return 1
}

# validate_plan TEXT: every line against the grammar; reads no host state, changes nothing.
validate_plan() {
  local out
  out=$(awk "${PLAN_AWK_VARS[@]}" -v MODE=validate "$PLAN_AWK" <<<"==plan"$'\n'"$1") || out="REFUSE 0 the plan validator failed"
  read_validation "$out"
}

# read_validation OUTPUT: the validator's verdict ("OK" or "REFUSE <line> <reason>") as a status.
read_validation() {
  local out=$1
  [[ $out == OK ]] && return 0
  [[ $out == "REFUSE "* ]] || out="REFUSE 0 the plan validator failed"
  out=${out#REFUSE }
  refuse "${out%% *}" "${out#* }"
}

# decode_start: $SSM_Plan decoded in the background from apply's first steps on (the lock, the tools);
# decode_plan reads it. Base64 is checked here, before any process; a failed pipeline (not gzip) ends
# its output with \001 1, a whole one with \001 0.
PLAN_FD=""
decode_start() {
  local encoded=${SSM_Plan:-}
  [[ $encoded =~ ^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$ ]] || return 0
  # Command substitution drops NUL bytes without a word (issue 14): each becomes \001, which no plan
  # holds either, so a plan carrying one is refused instead of applied as its stripped remainder.
  exec {PLAN_FD}< <(
    if base64 -d <<<"$encoded" 2>/dev/null | gzip -dc 2>/dev/null | head -c $((PLAN_MAX_BYTES + 1)) | tr '\000' '\001'; then
      printf '\001\060'
    else
      printf '\001\061'
    fi
  )
}

# decode_plan NAME: sets NAME to $SSM_Plan decoded; refuses non-base64, non-gzip and oversized input
# (status 1) and a plan holding a NUL byte (status 2).
decode_plan() {
  local decoded verdict
  [[ -n $PLAN_FD ]] || decode_start
  [[ -n $PLAN_FD ]] || return 1 # not base64
  decoded=$(<"/dev/fd/$PLAN_FD")
  exec {PLAN_FD}<&-
  PLAN_FD=""
  # the verdict is the last two characters (by offset: a pattern on 1 MB would be slow)
  ((${#decoded} >= 2)) || return 1
  verdict=${decoded:${#decoded}-2}
  decoded=${decoded:0:${#decoded}-2}
  [[ $verdict == $'\001'0 ]] || return 1
  # what a command substitution of the plan alone drops: its trailing newlines
  while [[ $decoded == *$'\n' ]]; do decoded=${decoded%$'\n'}; done
  ((${#decoded} <= PLAN_MAX_BYTES)) || return 1
  [[ $decoded != *$'\001'* ]] || return 2
  printf -v "$1" '%s' "$decoded"
}

# The snapshot (read under the lock): S_OWNED (plan.awk's owned state), S_SVM (src_valid_mark), S_FW
# (print_own_firewall). The queued work: N4/N6 ip lines in B4 (IPv4 but rules), R4 (IPv4 rules), B6;
# MISC (SYSCTL, CONNMARK, CM and REFUSE lines).
S_OWNED="" S_SVM="" S_FW=""
N4=0 N6=0 B4="" R4="" B6="" MISC=""

# list_kernel: the listings the plan program reads.
list_kernel() {
  printf '==ip4\n'
  ip -4 -o -N -force -batch - 2>/dev/null <<<$'link show type bridge\nlink show\naddress show\nrule show\nroute show table all' || true
  printf '==ip6\n'
  # -force: with IPv6 disabled the commands fail and print nothing
  ip -6 -o -N -force -batch - 2>/dev/null <<<$'rule show\nroute show table all' || true
}

# observe MODE [TEXT [LISTING_FD]]: S_OWNED, S_SVM, (translate) the batches and MISC lines for TEXT.
observe() {
  local out list=${3:-}
  local -a h=()
  read_sysctl S_SVM /proc/sys/net/ipv4/conf/all/src_valid_mark
  [[ -n $list ]] || exec {list}< <(list_kernel)
  out=$(awk "${PLAN_AWK_VARS[@]}" -v MODE="$1" "$PLAN_AWK" "/dev/fd/$list" - <<<"==sysctl"$'\n'"$S_SVM"$'\n'"==plan"$'\n'"${2:-}") ||
    out=""
  exec {list}<&-
  [[ -n $out ]] || refuse 0 "the plan program failed" || return 1
  # checked before any arithmetic: bash evaluates offsets and $(( )) as expressions
  [[ ${out:0:HEADER_WIDTH} =~ ^(\ *[0-9]+[[:space:]]){7}$ ]] || refuse 0 "the plan program printed no header" || return 1
  read -r -a h <<<"${out:0:HEADER_WIDTH}"
  N4=${h[0]} N6=${h[1]}
  B4=${out:HEADER_WIDTH:h[2]}
  R4=${out:HEADER_WIDTH + h[2]:h[3]}
  B6=${out:HEADER_WIDTH + h[2] + h[3]:h[4]}
  S_OWNED=${out:HEADER_WIDTH + h[2] + h[3] + h[4]:h[5]}
  MISC=${out:HEADER_WIDTH + h[2] + h[3] + h[4] + h[5]:h[6]}
}

# observe_with_firewall MODE [TEXT [LISTING_FD FIREWALL_FD]]: observe, and S_FW read alongside.
observe_with_firewall() {
  local fw_fd=${4:-} status=0
  [[ -n $fw_fd ]] || exec {fw_fd}< <(print_own_firewall)
  observe "$1" "${2:-}" "${3:-}" || status=1
  S_FW=$(<"/dev/fd/$fw_fd")
  exec {fw_fd}<&-
  return "$status"
}

# translate_plan TEXT [LISTING_FD FIREWALL_FD]: the plan + the host state → queued work (the batches,
# SYSCTL_TARGET, the firewall transaction); refuses on a MAC no link carries.
SYSCTL_TARGET=""
translate_plan() {
  local line connmark=false
  SYSCTL_TARGET="" FW_SCRIPT="" FW_DELETE=false CM_MASK="" CM_ENTRIES=()
  observe_with_firewall translate "$1" "${2:-}" "${3:-}" || return 1
  # the program's verdict first (it validates before translating): nothing of a refused plan is used
  if [[ $MISC == *"REFUSE "* ]]; then
    line=${MISC#*REFUSE }
    line=${line%%$'\n'*}
    refuse "${line%% *}" "${line#* }"
    return 1
  fi
  while IFS= read -r line; do
    case $line in
      "SYSCTL "*) SYSCTL_TARGET=${line#SYSCTL } ;;
      "CONNMARK "*)
        CM_MASK=${line#CONNMARK }
        connmark=true
        ;;
      "CM "*) CM_ENTRIES+=("${line#CM }") ;;
      "") ;;
      *) refuse 0 "unexpected translator output" || return 1 ;;
    esac
  done <<<"$MISC"
  [[ $connmark == false ]] || translate_connmark
}

# count_pending NAME: sets NAME to the number of changes the queued work makes.
count_pending() {
  local pending=$((N4 + N6))
  [[ -z $SYSCTL_TARGET ]] || pending=$((pending + 1))
  [[ -z $FW_SCRIPT && $FW_DELETE == false ]] || pending=$((pending + 1))
  printf -v "$1" '%d' "$pending"
}
