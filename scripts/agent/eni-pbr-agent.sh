#!/usr/bin/env bash
# eni-pbr agent: the only eni-pbr code that touches an instance's kernel. It runs inside the SSM Command
# document ssm/eni-pbr-agent.json (generated from this file) and speaks docs/agent-protocol.md:
#   eni-pbr-agent.sh inspect   prints the host state as one JSON document
#   eni-pbr-agent.sh apply     applies the plan in $SSM_Plan (base64 of gzip), all or nothing
# Targets bash >= 4.2 and iproute2 with -j: no bash-5-only features, and no jq (not on every AMI).
# Never write two opening curly braces in a row here: SSM would interpolate them.
set -euo pipefail
export LC_ALL=C

readonly AGENT_VERSION="0.1.0"
readonly SCHEMA_VERSION=1
readonly OWN_PROTO=224              # route/rule protocol eni-pbr writes (unused in rt_protos)
readonly TABLE_WINDOW_MIN=20000     # tables the agent accepts: clear of cloud-init (100+n),
readonly TABLE_WINDOW_MAX=29999     #   ec2-net-utils (10000+) and nm-cloud-setup (30200+)
readonly PREF_WINDOW_MIN=20000      # rule priorities the agent accepts: ahead of 32765/32766
readonly PREF_WINDOW_MAX=29999
readonly ENVELOPE_THRESHOLD=20000   # chars; GetCommandInvocation keeps only 24,000 of stdout
readonly FIREWALL_LINES_MAX=200     # mark/NAT lines reported, so a huge ruleset cannot blow the budget
readonly LOCK_WAIT_SECONDS=30       # two applies on one host wait for each other this long at most
readonly PLAN_MAX_BYTES=1048576     # decoded plan cap: 15 ENIs x 50 IPs is ~100 KB; refuse gzip bombs
readonly PLAN_MAX_LINES=20000       # far above any real plan (15 ENIs x 64 IPs x a few lines each)
readonly IFNAME_MAX=15              # IFNAMSIZ - 1
readonly LABEL_SUFFIX=":ep"         # IPv4 label that says "eni-pbr added this address"

readonly EXIT_USAGE=2 EXIT_REFUSED=3 EXIT_LOCK=4 EXIT_ROLLED_BACK=5 EXIT_ROLLBACK_FAILED=6 EXIT_TOOL=7

log() { printf 'eni-pbr-agent: %s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  log "$*"
  exit "$code"
}

# ---------------------------------------------------------------- JSON (no jq on the instance)

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//[$'\001'-$'\037']/}
  printf '"%s"' "$s"
}

# json_string_array NAME...: a JSON array of the given strings.
json_string_array() {
  local out="[" sep="" item
  for item in "$@"; do
    out+="$sep$(json_string "$item")"
    sep=","
  done
  printf '%s]' "$out"
}

# ip -j output verbatim, or [] when the family is disabled or the command fails.
ip_json() {
  local out
  if out=$(ip -j "$@" 2>/dev/null) && [[ -n $out ]]; then
    printf '%s' "$out"
  else
    printf '[]'
  fi
}

# Wraps a long document in the gzip+base64 envelope so it survives the 24,000-character cut.
emit_sized() {
  local doc=$1 payload
  if ((${#doc} <= ENVELOPE_THRESHOLD)); then
    printf '%s' "$doc"
    return
  fi
  payload=$(printf '%s' "$doc" | gzip -9c | base64 -w0)
  printf '{"schemaVersion":%d,"encoding":"gzip+base64","payload":"%s"}' "$SCHEMA_VERSION" "$payload"
}

# ---------------------------------------------------------------- prerequisites

require_tools() {
  local tool
  if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 2))); then
    die "$EXIT_TOOL" "bash >= 4.2 required, found $BASH_VERSION"
  fi
  for tool in ip flock gzip base64 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$EXIT_TOOL" "required tool missing: $tool"
  done
  ip -j link show lo >/dev/null 2>&1 || die "$EXIT_TOOL" "this iproute2 has no JSON output (ip -j)"
}

# ---------------------------------------------------------------- inspect

firewall_backend() {
  if command -v nft >/dev/null 2>&1 && nft list tables >/dev/null 2>&1; then
    echo nft
  elif command -v iptables-save >/dev/null 2>&1 && iptables-save >/dev/null 2>&1; then
    echo iptables
  else
    echo none
  fi
}

firewall_ruleset_text() {
  case $1 in
    nft) nft list ruleset 2>/dev/null || true ;;
    iptables) iptables-save 2>/dev/null || true ;;
    *) ;;
  esac
}

# matching_lines PATTERN TEXT: trimmed lines matching an extended regex, at most FIREWALL_LINES_MAX.
matching_lines() {
  local pattern=$1 text=$2 line count=0
  local -a found=()
  while IFS= read -r line; do
    [[ $line =~ $pattern ]] || continue
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    found+=("$line")
    count=$((count + 1))
    ((count < FIREWALL_LINES_MAX)) || break
  done <<<"$text"
  json_string_array ${found[@]+"${found[@]}"}
}

inspect_firewall() {
  local backend text own=null
  backend=$(firewall_backend)
  text=$(firewall_ruleset_text "$backend")
  if [[ $backend == nft ]] && own=$(nft -j list table inet eni_pbr 2>/dev/null) && [[ -n $own ]]; then
    :
  else
    own=null
  fi
  printf '{"backend":"%s","ownTable":%s,"markLines":%s,"natLines":%s}' "$backend" "$own" \
    "$(matching_lines '[Mm][Aa][Rr][Kk]' "$text")" \
    "$(matching_lines '[Mm][Aa][Ss][Qq][Uu][Ee][Rr][Aa][Dd][Ee]|[Ss][Nn][Aa][Tt]|[Dd][Nn][Aa][Tt]|[Rr][Ee][Dd][Ii][Rr][Ee][Cc][Tt]' "$text")"
}

read_sysctl() {
  local value=""
  [[ -r $1 ]] && read -r value <"$1" || true
  printf '%s' "$value"
}

inspect_sysctl() {
  local dir name rp="" sep=""
  for dir in /proc/sys/net/ipv4/conf/*/; do
    name=${dir%/}
    name=${name##*/}
    rp+="$sep$(json_string "$name"):$(json_string "$(read_sysctl "$dir/rp_filter")")"
    sep=","
  done
  printf '{"ipForward":%s,"srcValidMark":%s,"rpFilter":{%s}}' \
    "$(json_string "$(read_sysctl /proc/sys/net/ipv4/ip_forward)")" \
    "$(json_string "$(read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark)")" "$rp"
}

# process_running NAME: a process whose comm is NAME exists (no pgrep on minimal images).
process_running() {
  local comm_file comm
  for comm_file in /proc/[0-9]*/comm; do
    read -r comm <"$comm_file" 2>/dev/null || continue
    [[ $comm == "$1" ]] && return 0
  done
  return 1
}

any_exists() {
  local path
  for path in "$@"; do
    [[ -e $path ]] && return 0
  done
  return 1
}

bool() { if "$@"; then printf true; else printf false; fi; }

inspect_managers() {
  local netplan=false file
  for file in /etc/netplan/*.yaml; do [[ -e $file ]] && netplan=true; done
  printf '{"cloudInitHotplug":%s,"netplan":%s,"ec2NetUtils":%s,"nmCloudSetup":%s,"networkManager":%s,"systemdNetworkd":%s,"vpcCni":%s}' \
    "$(bool any_exists /etc/udev/rules.d/90-cloud-init-hook-hotplug.rules /usr/bin/cloud-init)" "$netplan" \
    "$(bool any_exists /usr/lib/systemd/system/refresh-policy-routes@.service /usr/share/amazon-ec2-net-utils)" \
    "$(bool any_exists /usr/libexec/nm-cloud-setup /usr/lib/NetworkManager/nm-cloud-setup /usr/lib/systemd/system/nm-cloud-setup.service)" \
    "$(bool process_running NetworkManager)" "$(bool process_running systemd-network)" \
    "$(bool any_exists /opt/cni/bin/aws-cni /var/run/aws-node)"
}

os_release() {
  local key value id="" version=""
  [[ -r /etc/os-release ]] || return 0
  while IFS='=' read -r key value; do
    value=${value//\"/}
    case $key in
      ID) id=$value ;;
      VERSION_ID) version=$value ;;
      *) ;;
    esac
  done </etc/os-release
  printf '%s %s' "$id" "$version"
}

bridge_names() {
  local line names=()
  while IFS= read -r line; do
    [[ $line =~ ^[0-9]+:\ ([^:@\ ]+)[@:] ]] && names+=("${BASH_REMATCH[1]}")
  done < <(ip -o link show type bridge 2>/dev/null || true)
  json_string_array ${names[@]+"${names[@]}"}
}

inspect_document() {
  printf '{"schemaVersion":%d,"agentVersion":"%s","host":{"hostname":%s,"kernel":%s,"osRelease":%s},' \
    "$SCHEMA_VERSION" "$AGENT_VERSION" "$(json_string "$(uname -n)")" "$(json_string "$(uname -r)")" \
    "$(json_string "$(os_release)")"
  printf '"links":%s,"bridges":%s,"addr":%s,' "$(ip_json link show)" "$(bridge_names)" "$(ip_json addr show)"
  printf '"rules4":%s,"rules6":%s,' "$(ip_json -4 rule show)" "$(ip_json -6 rule show)"
  printf '"routes4":%s,"routes6":%s,' "$(ip_json -4 route show table all)" "$(ip_json -6 route show table all)"
  printf '"firewall":%s,"sysctl":%s,"managers":%s}' "$(inspect_firewall)" "$(inspect_sysctl)" "$(inspect_managers)"
}

cmd_inspect() {
  emit_sized "$(inspect_document)"
  printf '\n'
}

# ---------------------------------------------------------------- plan validation (pure: reads nothing)

# Every check below looks at one already-split field; nothing from the plan ever reaches a shell.
is_dec_in() { [[ $1 =~ ^(0|[1-9][0-9]{0,9})$ ]] && (($1 >= $2 && $1 <= $3)); }
is_mac() { [[ $1 =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]]; }
is_ifname() { [[ $1 =~ ^[A-Za-z0-9_.-]{1,15}$ ]]; }
is_hex32() { [[ $1 =~ ^0x[0-9a-f]{1,8}$ ]]; }

# The validators below run once per plan line: they return results in globals instead of printing
# them, because a command substitution forks and 1,500 forks cost seconds.
INT4=0
G6=()

# ipv4_to_int ADDR: INT4 = the address as an integer; fails on anything but a strict dotted quad.
ipv4_to_int() {
  local octet='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
  [[ $1 =~ ^$octet\.$octet\.$octet\.$octet$ ]] || return 1
  INT4=$(((BASH_REMATCH[1] << 24) | (BASH_REMATCH[2] << 16) | (BASH_REMATCH[3] << 8) | BASH_REMATCH[4]))
}

# ipv6_groups ADDR: G6 = the 8 groups as numbers; strict lower-case hex, at most one "::", no dotted tail.
ipv6_groups() {
  local addr=$1 head tail group
  local -a h=() t=() all=()
  G6=()
  [[ $addr =~ ^[0-9a-f:]{2,39}$ && $addr != *:::* ]] || return 1
  if [[ $addr == *::* ]]; then
    head=${addr%%::*}
    tail=${addr#*::}
    [[ $tail != *::* ]] || return 1
    [[ -z $head ]] || IFS=: read -r -a h <<<"$head"
    [[ -z $tail ]] || IFS=: read -r -a t <<<"$tail"
    ((${#h[@]} + ${#t[@]} <= 7)) || return 1
    all=(${h[@]+"${h[@]}"})
    while ((${#all[@]} < 8 - ${#t[@]})); do all+=(0); done
    all+=(${t[@]+"${t[@]}"})
  else
    [[ $addr != :* && $addr != *: ]] || return 1
    IFS=: read -r -a all <<<"$addr"
  fi
  ((${#all[@]} == 8)) || return 1
  for group in "${all[@]}"; do
    [[ $group =~ ^[0-9a-f]{1,4}$ ]] || return 1
    G6+=($((16#$group)))
  done
}

is_ipv4() { ipv4_to_int "$1"; }
is_ipv6() { ipv6_groups "$1"; }

# is_cidr FAMILY CIDR HOSTBITS: HOSTBITS=zero also demands the host part be zero (routes, rules).
is_cidr() {
  local family=$1 cidr=$2 host_bits=$3 addr len bit i
  [[ $cidr =~ ^([0-9a-f.:]+)/(0|[1-9][0-9]{0,2})$ ]] || return 1
  addr=${BASH_REMATCH[1]}
  len=${BASH_REMATCH[2]}
  if [[ $family == 4 ]]; then
    ((len <= 32)) && ipv4_to_int "$addr" || return 1
    [[ $host_bits == zero ]] || return 0
    ((len == 32 || (INT4 & ((1 << (32 - len)) - 1)) == 0))
  else
    ((len <= 128)) && ipv6_groups "$addr" || return 1
    [[ $host_bits == zero ]] || return 0
    for ((i = 0; i < 8; i++)); do
      bit=$((len - 16 * i))
      if ((bit <= 0)); then
        ((G6[i] == 0)) || return 1
      elif ((bit < 16)); then
        ((G6[i] & ((1 << (16 - bit)) - 1))) && return 1
      fi
    done
    return 0
  fi
}

is_ip() { if [[ $1 == 4 ]]; then is_ipv4 "$2"; else is_ipv6 "$2"; fi; }

# Plan state filled by parse_plan: one entry per operation line, fields separated by single spaces.
PLAN_TABLE_MIN=0 PLAN_TABLE_MAX=0 PLAN_PREF_MIN=0 PLAN_PREF_MAX=0
PLAN_OPS=()
REFUSAL=""

refuse() {
  REFUSAL="line $1: $2"
  return 1
}

in_tables() { is_dec_in "$1" "$PLAN_TABLE_MIN" "$PLAN_TABLE_MAX"; }
in_prefs() { is_dec_in "$1" "$PLAN_PREF_MIN" "$PLAN_PREF_MAX"; }

parse_header() {
  local re='^eni-pbr-plan 1 tables=([0-9]{1,5})-([0-9]{1,5}) prefs=([0-9]{1,5})-([0-9]{1,5})$'
  [[ $1 =~ $re ]] || refuse 1 "not an eni-pbr-plan 1 header" || return 1
  PLAN_TABLE_MIN=$((10#${BASH_REMATCH[1]}))
  PLAN_TABLE_MAX=$((10#${BASH_REMATCH[2]}))
  PLAN_PREF_MIN=$((10#${BASH_REMATCH[3]}))
  PLAN_PREF_MAX=$((10#${BASH_REMATCH[4]}))
  is_dec_in "$PLAN_TABLE_MIN" "$TABLE_WINDOW_MIN" "$TABLE_WINDOW_MAX" && is_dec_in "$PLAN_TABLE_MAX" "$PLAN_TABLE_MIN" "$TABLE_WINDOW_MAX" ||
    refuse 1 "table range outside $TABLE_WINDOW_MIN-$TABLE_WINDOW_MAX" || return 1
  is_dec_in "$PLAN_PREF_MIN" "$PREF_WINDOW_MIN" "$PREF_WINDOW_MAX" && is_dec_in "$PLAN_PREF_MAX" "$PLAN_PREF_MIN" "$PREF_WINDOW_MAX" ||
    refuse 1 "priority range outside $PREF_WINDOW_MIN-$PREF_WINDOW_MAX" || return 1
}

validate_mark_mask() {
  local mark=$1 mask=$2
  is_hex32 "$mark" && is_hex32 "$mask" && ((mask != 0 && mark != 0 && (mark & ~mask) == 0))
}

validate_rule_selector() {
  local n=$1 family=$2 verb=$3
  shift 3
  if [[ $# == 4 && $1 == from && $3 == table && $4 != main ]] ||
    [[ $# == 6 && $1 == from && $3 == iif && $4 == lo && $5 == table && $6 != main ]]; then
    is_cidr "$family" "$2" zero || refuse "$n" "bad rule source" || return 1
  elif [[ $# == 4 && $1 == fwmark && $3 == table && $4 != main ]]; then
    [[ $family == 4 && $2 =~ ^(0x[0-9a-f]{1,8})/(0x[0-9a-f]{1,8})$ ]] || refuse "$n" "bad fwmark" || return 1
    validate_mark_mask "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" || refuse "$n" "bad mark/mask" || return 1
  elif [[ $# == 4 && $1 == iif && $3 == table && $4 == main && $verb == add ]]; then
    is_mac "$2" || refuse "$n" "bad iif MAC" || return 1
  elif [[ $# == 4 && $1 == iifname && $3 == table && $4 == main && $verb == del ]]; then
    is_ifname "$2" || refuse "$n" "bad interface name" || return 1
  else
    refuse "$n" "unknown rule form"
  fi
}

# validate_line N LINE: refuses anything that is not exactly one operation of the grammar.
validate_line() {
  local n=$1 line=$2
  local -a f=()
  [[ $line =~ ^[A-Za-z0-9\ ./:=_-]+$ ]] || refuse "$n" "characters outside the plan alphabet" || return 1
  read -r -a f <<<"$line"
  [[ "${f[*]}" == "$line" ]] || refuse "$n" "fields must be separated by single spaces" || return 1
  case "${f[0]} ${f[1]:-}" in
    "addr add" | "addr del")
      ((${#f[@]} == 4)) && is_mac "${f[2]}" && is_cidr 4 "${f[3]}" any || refuse "$n" "bad address operation" || return 1
      [[ ${f[3]#*/} != 0 ]] || refuse "$n" "address prefix /0" || return 1
      ;;
    "route replace")
      [[ ${f[2]:-} == [46] ]] && in_tables "${f[3]:-}" || refuse "$n" "bad route family or table outside the plan range" || return 1
      if ((${#f[@]} == 7)) && [[ ${f[5]} == dev ]]; then
        is_cidr "${f[2]}" "${f[4]}" zero && is_mac "${f[6]}" || refuse "$n" "bad route" || return 1
      elif ((${#f[@]} == 9)) && [[ ${f[4]} == default && ${f[5]} == via && ${f[7]} == dev ]]; then
        is_ip "${f[2]}" "${f[6]}" && is_mac "${f[8]}" || refuse "$n" "bad default route" || return 1
      else
        refuse "$n" "unknown route form" || return 1
      fi
      ;;
    "route del")
      ((${#f[@]} == 5)) && [[ ${f[2]} == [46] ]] && in_tables "${f[3]}" || refuse "$n" "bad route deletion" || return 1
      [[ ${f[4]} == default ]] || is_cidr "${f[2]}" "${f[4]}" zero || refuse "$n" "bad route destination" || return 1
      ;;
    "rule add" | "rule del")
      [[ ${f[2]:-} == [46] ]] && in_prefs "${f[3]:-}" || refuse "$n" "bad rule family or priority outside the plan range" || return 1
      ((${#f[@]} == 8 || ${#f[@]} == 10)) || refuse "$n" "unknown rule form" || return 1
      if [[ ${f[${#f[@]} - 1]} != main ]]; then
        in_tables "${f[${#f[@]} - 1]}" || refuse "$n" "rule table outside the plan range" || return 1
      fi
      validate_rule_selector "$n" "${f[2]}" "${f[1]}" "${f[@]:4}" || return 1
      ;;
    "sysctl net.ipv4.conf.all.src_valid_mark")
      ((${#f[@]} == 3)) && [[ ${f[2]} == [01] ]] || refuse "$n" "bad sysctl value" || return 1
      ;;
    connmark\ *)
      validate_connmark "$n" "${f[@]:1}" || return 1
      ;;
    *) refuse "$n" "unknown operation" || return 1 ;;
  esac
}

validate_connmark() {
  local n=$1 mask=$2 pair mac mark
  shift 2
  local -A seen_mac=() seen_mark=()
  is_hex32 "$mask" && ((mask != 0)) || refuse "$n" "bad connmark mask" || return 1
  for pair in "$@"; do
    [[ $pair =~ ^(([0-9a-f]{2}:){5}[0-9a-f]{2})=(0x[0-9a-f]{1,8})$ ]] || refuse "$n" "bad connmark pair" || return 1
    mac=${BASH_REMATCH[1]}
    mark=$((BASH_REMATCH[3]))
    validate_mark_mask "${BASH_REMATCH[3]}" "$mask" || refuse "$n" "mark outside the mask" || return 1
    [[ -z ${seen_mac[$mac]+x} && -z ${seen_mark[$mark]+x} ]] || refuse "$n" "duplicate connmark MAC or mark" || return 1
    seen_mac[$mac]=1
    seen_mark[$mark]=1
  done
}

# parse_plan TEXT: header then operations; fills PLAN_OPS or sets REFUSAL.
parse_plan() {
  local -a lines=()
  local i connmarks=0 sysctls=0
  mapfile -t lines <<<"$1"
  ((${#lines[@]} <= PLAN_MAX_LINES)) || refuse 0 "more than $PLAN_MAX_LINES lines" || return 1
  parse_header "${lines[0]}" || return 1
  for ((i = 1; i < ${#lines[@]}; i++)); do
    [[ -n ${lines[i]} || $i -ne $((${#lines[@]} - 1)) ]] || continue # the final newline
    validate_line $((i + 1)) "${lines[i]}" || return 1
    case ${lines[i]} in connmark\ *) connmarks=$((connmarks + 1)) ;; sysctl\ *) sysctls=$((sysctls + 1)) ;; *) ;; esac
    PLAN_OPS+=("${lines[i]}")
  done
  ((connmarks <= 1 && sysctls <= 1)) || refuse 0 "more than one connmark or sysctl line" || return 1
}

# decode_plan: $SSM_Plan → plan text on stdout; refuses non-base64, non-gzip and oversized input.
decode_plan() {
  local encoded=${SSM_Plan:-} text
  [[ -n $encoded ]] || die "$EXIT_USAGE" "apply needs the Plan parameter (SSM_Plan)"
  [[ $encoded =~ ^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$ ]] || return 1
  text=$(printf '%s' "$encoded" | base64 -d 2>/dev/null | gzip -dc 2>/dev/null | head -c $((PLAN_MAX_BYTES + 1))) || return 1
  ((${#text} <= PLAN_MAX_BYTES)) || return 1
  printf '%s' "$text"
}

# ---------------------------------------------------------------- host state (read under the lock)

declare -A MAC_IF=()     # mac → ifname, "" when two non-bridge links carry it
declare -A RULE_SET=()   # "4|6 <ip rule show line>" present now
declare -A ROUTE_SET=()  # "4|6 <ip route show line>" present now
declare -A ROUTE_OWN=()  # "4|6 <table> <dst>" of routes with our protocol
declare -A ADDR_LABEL=() # "<ifname> <cidr>" → label, IPv4
S_RULES="" S_ROUTES="" S_ADDRS="" S_NFT="" S_SVM=""

read_links() {
  local line name mac
  local -A bridges=()
  MAC_IF=()
  while IFS= read -r line; do
    [[ $line =~ ^[0-9]+:\ ([^:@\ ]+)[@:] ]] && bridges[${BASH_REMATCH[1]}]=1
  done < <(ip -o link show type bridge 2>/dev/null || true)
  while IFS= read -r line; do
    [[ $line =~ ^[0-9]+:\ ([^:@\ ]+)[@:].*\ link/ether\ ([0-9a-f:]{17})\  ]] || continue
    name=${BASH_REMATCH[1]}
    mac=${BASH_REMATCH[2]}
    [[ -z ${bridges[$name]+x} ]] || continue
    if [[ -n ${MAC_IF[$mac]+x} ]]; then MAC_IF[$mac]=""; else MAC_IF[$mac]=$name; fi
  done < <(ip -o link show)
}

in_window() { (($1 >= $2 && $1 <= $3)); }

# Rules with a priority in the agent's window: the only ones a plan can add or delete.
window_rules() {
  local family line
  for family in 4 6; do
    while IFS= read -r line; do
      [[ $line =~ ^([0-9]+): ]] && in_window "${BASH_REMATCH[1]}" "$PREF_WINDOW_MIN" "$PREF_WINDOW_MAX" || continue
      printf '%s %s\n' "$family" "$line"
    done < <(ip "-$family" rule show 2>/dev/null || true)
  done
}

# Routes in the agent's table window, one line each (multipath continuation lines folded in).
window_routes() {
  local family line
  for family in 4 6; do
    while IFS= read -r line; do
      line=${line%"${line##*[! ]}"}
      [[ $line =~ \ table\ ([0-9]+)(\ |$) ]] && in_window "${BASH_REMATCH[1]}" "$TABLE_WINDOW_MIN" "$TABLE_WINDOW_MAX" || continue
      printf '%s %s\n' "$family" "$line"
    done < <(ip "-$family" -o route show table all 2>/dev/null || true)
  done
}

# IPv4 addresses as "<ifname> <cidr> <brd|-> <label>": enough to put back exactly what was removed.
ipv4_addresses() {
  local line brd
  while IFS= read -r line; do
    [[ $line =~ ^[0-9]+:\ ([^ ]+)\ +inet\ ([0-9./]+)\ (brd\ ([0-9.]+)\ )?.*\ ([^ ]+)\\ ]] || continue
    brd=${BASH_REMATCH[4]:--}
    printf '%s %s %s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "$brd" "${BASH_REMATCH[5]}"
  done < <(ip -o -4 addr show 2>/dev/null || true)
}

own_nft_table() {
  if command -v nft >/dev/null 2>&1; then nft list table inet eni_pbr 2>/dev/null || true; fi
}

# snapshot: everything apply may touch, as text; also the base of the before/after digests.
take_snapshot() {
  S_RULES=$(window_rules)
  S_ROUTES=$(window_routes)
  S_ADDRS=$(ipv4_addresses)
  S_NFT=$(own_nft_table)
  S_SVM=$(read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark)
}

owned_digest() {
  printf 'rules\n%s\nroutes\n%s\naddrs\n%s\nnft\n%s\nsrc_valid_mark %s\n' "$S_RULES" "$S_ROUTES" "$S_ADDRS" "$S_NFT" "$S_SVM" |
    sha256sum | { read -r sum _ && printf '%s' "$sum"; }
}

index_state() {
  local line family table dst name cidr label
  RULE_SET=() ROUTE_SET=() ROUTE_OWN=() ADDR_LABEL=()
  while IFS= read -r line; do
    if [[ -n $line ]]; then RULE_SET[$line]=1; fi
  done <<<"$S_RULES"
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    ROUTE_SET[$line]=1
    family=${line%% *}
    [[ $line =~ ^[46]\ ((unicast|local|broadcast|multicast|unreachable|prohibit|blackhole|throw|anycast)\ )?([^ ]+)\ .*table\ ([0-9]+)\ proto\ $OWN_PROTO(\ |$) ]] || continue
    dst=${BASH_REMATCH[3]}
    table=${BASH_REMATCH[4]}
    ROUTE_OWN["$family $table $dst"]=1
  done <<<"$S_ROUTES"
  while read -r name cidr _ label; do
    if [[ -n ${name:-} ]]; then ADDR_LABEL["$name $cidr"]=$label; fi
  done <<<"$S_ADDRS"
}

# ---------------------------------------------------------------- translation: validated fields → ip -batch

BATCH4=() BATCH6=() SYSCTL_TARGET="" NFT_SCRIPT="" NFT_DELETE=false
REFUSAL_CODE=$EXIT_REFUSED

# resolve N MAC: the one non-bridge link carrying MAC, in RESOLVED.
RESOLVED=""
resolve() {
  RESOLVED=${MAC_IF[$2]:-}
  [[ -n $RESOLVED ]] || refuse "$1" "no single non-bridge link carries $2"
}

# short_cidr FAMILY CIDR: SHORT = the CIDR as ip prints host routes and rules (no /32 or /128).
SHORT=""
short_cidr() {
  SHORT=$2
  if [[ $1 == 4 ]]; then SHORT=${SHORT%/32}; else SHORT=${SHORT%/128}; fi
}

queue() { if [[ $1 == 4 ]]; then BATCH4+=("$2"); else BATCH6+=("$2"); fi; }

# translate_rule N FAMILY VERB PREF SELECTOR...: the batch line and the line `ip rule show` prints for it.
translate_rule() {
  local n=$1 family=$2 verb=$3 pref=$4 selector shown present=false
  shift 4
  local table=${*: -1}
  case "$1 ${3:-}" in
    "from iif")
      short_cidr "$family" "$2"
      selector="from $2 iif lo"
      shown="from $SHORT iif lo"
      ;;
    from\ *)
      short_cidr "$family" "$2"
      selector="from $2"
      shown="from $SHORT"
      ;;
    fwmark\ *)
      printf -v selector 'fwmark 0x%x/0x%x' "${2%/*}" "${2#*/}"
      shown="from all $selector"
      ;;
    iif\ *)
      resolve "$n" "$2" || return 1
      selector="iif $RESOLVED"
      shown="from all iif $RESOLVED"
      ;;
    iifname\ *)
      selector="iif $2"
      shown="from all iif $2"
      [[ -z ${RULE_SET["$family $pref:	from all iif $2 [detached] lookup main proto $OWN_PROTO"]+x} ]] || present=true
      ;;
  esac
  [[ -z ${RULE_SET["$family $pref:	$shown lookup $table proto $OWN_PROTO"]+x} ]] || present=true
  if [[ $verb == add && $present == false ]] || [[ $verb == del && $present == true ]]; then
    queue "$family" "rule $verb pref $pref $selector lookup $table proto $OWN_PROTO"
  fi
}

translate_route() {
  local n=$1 family=$3 table=$4 dst=$5 metric="" pref_tail="" shown line
  [[ $family == 6 ]] && metric=" metric 1024" && pref_tail=" pref medium"
  if [[ $2 == del ]]; then
    short_cidr "$family" "$dst"
    if [[ -n ${ROUTE_OWN["$family $table $SHORT"]+x} ]]; then
      queue "$family" "route del $dst table $table proto $OWN_PROTO"
    fi
    return 0
  fi
  if [[ $dst == default ]]; then
    resolve "$n" "$9" || return 1
    line="route replace default via $7 dev $RESOLVED table $table proto $OWN_PROTO onlink"
    shown="default via $7 dev $RESOLVED table $table proto $OWN_PROTO$metric onlink$pref_tail"
  else
    resolve "$n" "$7" || return 1
    line="route replace $dst dev $RESOLVED table $table proto $OWN_PROTO"
    short_cidr "$family" "$dst"
    shown="$SHORT dev $RESOLVED table $table proto $OWN_PROTO"
    if [[ $family == 4 ]]; then shown+=" scope link"; else shown+="$metric$pref_tail"; fi
  fi
  # replace is idempotent in the kernel; skipping a route already there only keeps the count honest
  [[ -n ${ROUTE_SET["$family $shown"]+x} ]] || queue "$family" "$line"
}

translate_addr() {
  local n=$1 verb=$2 cidr=$4 label
  resolve "$n" "$3" || return 1
  label=${ADDR_LABEL["$RESOLVED $cidr"]-}
  if [[ $verb == add ]]; then
    [[ -z ${ADDR_LABEL["$RESOLVED $cidr"]+x} ]] || return 0
    if ((${#RESOLVED} + ${#LABEL_SUFFIX} <= IFNAME_MAX)); then
      queue 4 "address add $cidr dev $RESOLVED label $RESOLVED$LABEL_SUFFIX"
    else
      queue 4 "address add $cidr dev $RESOLVED"
    fi
    return 0
  fi
  [[ -n ${ADDR_LABEL["$RESOLVED $cidr"]+x} ]] || return 0
  # only addresses eni-pbr labelled are ever removed: the primary and cloud-init's are not ours
  [[ $label == "$RESOLVED$LABEL_SUFFIX" ]] || refuse "$n" "$cidr on $RESOLVED is not labelled $RESOLVED$LABEL_SUFFIX" || return 1
  queue 4 "address del $cidr dev $RESOLVED"
}

# render_nft MASK PAIR...: table inet eni_pbr exactly as nftables 1.0.6 lists it, so an unchanged
# marking set is recognised and not reloaded.
render_nft() {
  local mask=$(($1)) pair mac mark ifname keep line ins="" restores=""
  shift
  for pair in "$@"; do
    mac=${pair%=*}
    mark=$((${pair#*=}))
    ifname=${MAC_IF[$mac]}
    keep=$(((~mask | mark) & 0xffffffff))
    printf -v line '\t\tiifname "%s" ct state new ct mark set ct mark & 0x%08x | 0x%08x comment "eni-pbr in %s 0x%x/0x%x"\n' \
      "$ifname" "$keep" "$mark" "$mac" "$mark" "$mask"
    ins+=$line
    printf -v line '\t\tct mark & 0x%08x == 0x%08x meta mark set meta mark & 0x%08x | 0x%08x comment "eni-pbr restore 0x%x/0x%x"\n' \
      "$mask" "$mark" "$keep" "$mark" "$mark" "$mask"
    restores+=$line
  done
  printf 'table inet eni_pbr {\n\tchain prerouting {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n%s%s\t}\n\n' "$ins" "$restores"
  printf '\tchain output {\n\t\ttype route hook output priority mangle; policy accept;\n%s\t}\n}' "$restores"
}

translate_connmark() {
  local n=$1 pair
  shift 2
  if ! command -v nft >/dev/null 2>&1; then
    REFUSAL_CODE=$EXIT_TOOL
    refuse "$n" "connmark needs nft; the iptables fallback is not implemented" || return 1
  fi
  if (($# == 1)); then
    [[ -z $S_NFT ]] || NFT_DELETE=true
    return 0
  fi
  for pair in "${@:2}"; do resolve "$n" "${pair%=*}" || return 1; done
  NFT_SCRIPT=$(render_nft "$@")
  [[ $NFT_SCRIPT != "$S_NFT" ]] || NFT_SCRIPT=""
}

# translate_all: every validated line → queued work; refuses on a MAC no link carries.
translate_all() {
  local i line
  local -a f
  BATCH4=() BATCH6=() SYSCTL_TARGET="" NFT_SCRIPT="" NFT_DELETE=false
  for ((i = 0; i < ${#PLAN_OPS[@]}; i++)); do
    line=${PLAN_OPS[i]}
    read -r -a f <<<"$line"
    case ${f[0]} in
      addr) translate_addr $((i + 2)) "${f[1]}" "${f[2]}" "${f[3]}" || return 1 ;;
      route) translate_route $((i + 2)) "${f[@]:1}" || return 1 ;;
      rule) translate_rule $((i + 2)) "${f[2]}" "${f[1]}" "${f[3]}" "${f[@]:4}" || return 1 ;;
      sysctl) [[ ${f[2]} == "$S_SVM" ]] || SYSCTL_TARGET=${f[2]} ;;
      connmark) translate_connmark $((i + 2)) "${f[@]}" || return 1 ;;
    esac
  done
}

pending_operations() {
  local count=$((${#BATCH4[@]} + ${#BATCH6[@]}))
  [[ -z $SYSCTL_TARGET ]] || count=$((count + 1))
  [[ -z $NFT_SCRIPT && $NFT_DELETE == false ]] || count=$((count + 1))
  printf '%d' "$count"
}

# ---------------------------------------------------------------- apply and restore

ERROR_TEXT=""

# run_batch FAMILY LINE...: one ip process for all lines; stops at the first failing line.
run_batch() {
  local family=$1 out
  shift
  (($# > 0)) || return 0
  if ! out=$(printf '%s\n' "$@" | ip "-$family" -batch - 2>&1); then
    ERROR_TEXT="ip -$family -batch: ${out//$'\n'/; }"
    return 1
  fi
}

write_src_valid_mark() {
  printf '%s\n' "$1" >/proc/sys/net/ipv4/conf/all/src_valid_mark 2>/dev/null || {
    ERROR_TEXT="cannot write net.ipv4.conf.all.src_valid_mark"
    return 1
  }
}

# nft -f runs the whole file as one transaction: the table is replaced entirely or not at all.
# "table" first makes "delete table" valid when the table does not exist yet.
replace_nft_table() {
  local out
  if ! out=$(printf 'table inet eni_pbr\ndelete table inet eni_pbr\n%s\n' "$1" | nft -f - 2>&1); then
    ERROR_TEXT="nft: ${out//$'\n'/; }"
    return 1
  fi
}

delete_nft_table() {
  local out
  if ! out=$(printf 'table inet eni_pbr\ndelete table inet eni_pbr\n' | nft -f - 2>&1); then
    ERROR_TEXT="nft: ${out//$'\n'/; }"
    return 1
  fi
}

apply_queued() {
  run_batch 4 ${BATCH4[@]+"${BATCH4[@]}"} || return 1
  run_batch 6 ${BATCH6[@]+"${BATCH6[@]}"} || return 1
  [[ -z $SYSCTL_TARGET ]] || write_src_valid_mark "$SYSCTL_TARGET" || return 1
  if [[ -n $NFT_SCRIPT ]]; then replace_nft_table "$NFT_SCRIPT" || return 1; fi
  if [[ $NFT_DELETE == true ]]; then delete_nft_table || return 1; fi
}

# lines_only_in A B: lines of text A that text B lacks.
lines_only_in() {
  local line
  local -A other=()
  while IFS= read -r line; do
    if [[ -n $line ]]; then other[$line]=1; fi
  done <<<"$2"
  while IFS= read -r line; do
    if [[ -n $line && -z ${other[$line]+x} ]]; then printf '%s\n' "$line"; fi
  done <<<"$1"
}

# The kernel's own listing, turned back into arguments: flags ip prints but does not accept are dropped.
rule_args() {
  local text=${1#*:}
  text=${text#$'\t'}
  printf 'pref %s %s' "${1%%:*}" "${text// \[detached\]/}"
}

route_args() {
  local text=$1 flag
  for flag in linkdown dead offload trap offload_failed rt_offload rt_trap rt_offload_failed; do
    text=${text// $flag/}
  done
  printf '%s' "$text"
}

# restore_snapshot: puts back exactly what take_snapshot saw, touching only what differs.
restore_snapshot() {
  local now_rules now_routes now_addrs now_nft line family ok=0
  local -a undo4=() undo6=() addr_fix=()
  now_nft=$(own_nft_table)
  if [[ $now_nft != "$S_NFT" ]]; then
    if [[ -z $S_NFT ]]; then delete_nft_table || ok=1; else replace_nft_table "$S_NFT" || ok=1; fi
  fi
  [[ $(read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark) == "$S_SVM" ]] || write_src_valid_mark "$S_SVM" || ok=1
  now_rules=$(window_rules)
  now_routes=$(window_routes)
  now_addrs=$(ipv4_addresses)
  # addresses first: a deleted address takes the routes that use it with it
  while read -r name cidr brd label; do
    if [[ -n ${name:-} ]]; then addr_fix+=("address del $cidr dev $name"); fi
  done < <(lines_only_in "$now_addrs" "$S_ADDRS")
  while read -r name cidr brd label; do
    [[ -n ${name:-} ]] || continue
    line="address add $cidr"
    [[ $brd == - ]] || line+=" brd $brd"
    line+=" dev $name"
    [[ $label == "$name" ]] || line+=" label $label"
    addr_fix+=("$line")
  done < <(lines_only_in "$S_ADDRS" "$now_addrs")
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    family=${line%% *}
    if [[ $family == 4 ]]; then undo4+=("route del $(route_args "${line#* }")"); else undo6+=("route del $(route_args "${line#* }")"); fi
  done < <(lines_only_in "$now_routes" "$S_ROUTES")
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    family=${line%% *}
    if [[ $family == 4 ]]; then undo4+=("route add $(route_args "${line#* }")"); else undo6+=("route add $(route_args "${line#* }")"); fi
  done < <(lines_only_in "$S_ROUTES" "$now_routes")
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    family=${line%% *}
    if [[ $family == 4 ]]; then undo4+=("rule del $(rule_args "${line#* }")"); else undo6+=("rule del $(rule_args "${line#* }")"); fi
  done < <(lines_only_in "$now_rules" "$S_RULES")
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    family=${line%% *}
    if [[ $family == 4 ]]; then undo4+=("rule add $(rule_args "${line#* }")"); else undo6+=("rule add $(rule_args "${line#* }")"); fi
  done < <(lines_only_in "$S_RULES" "$now_rules")
  run_restore_batch 4 ${addr_fix[@]+"${addr_fix[@]}"} || ok=1
  run_restore_batch 4 ${undo4[@]+"${undo4[@]}"} || ok=1
  run_restore_batch 6 ${undo6[@]+"${undo6[@]}"} || ok=1
  return "$ok"
}

# Restore keeps going past a failing line (-force): put back as much as possible, then report.
run_restore_batch() {
  local family=$1 out
  shift
  (($# > 0)) || return 0
  if ! out=$(printf '%s\n' "$@" | ip -force "-$family" -batch - 2>&1); then
    log "restore: ${out//$'\n'/; }"
    return 1
  fi
}

# ---------------------------------------------------------------- lock

LOCK_FD=""
acquire_lock() {
  local dir=/run/eni-pbr netns_id
  # one lock per network namespace: applies in one namespace serialise, lab namespaces do not
  netns_id=$(stat -L -c %i /proc/self/ns/net 2>/dev/null || printf 'default')
  [[ -d $dir ]] || mkdir -m 0700 "$dir" 2>/dev/null || [[ -d $dir ]] || die "$EXIT_TOOL" "cannot create $dir"
  exec {LOCK_FD}>"$dir/lock-$netns_id" || die "$EXIT_TOOL" "cannot open $dir/lock-$netns_id"
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD"
}

# ---------------------------------------------------------------- apply command

# print_apply_result STATUS OPERATIONS BEFORE AFTER ERROR [with-inspect]
print_apply_result() {
  local error=null after=null
  [[ -z $5 ]] || error=$(json_string "$5")
  [[ ${6:-} != with-inspect ]] || after=$(emit_sized "$(inspect_document)")
  printf '{"schemaVersion":%d,"mode":"apply","result":{"status":"%s","operations":%d,"before":"%s","after":"%s","error":%s},"after":%s}\n' \
    "$SCHEMA_VERSION" "$1" "$2" "$3" "$4" "$error" "$after"
}

refuse_plan() {
  local code=$1 digest
  take_snapshot
  digest=$(owned_digest)
  log "plan refused: $REFUSAL"
  print_apply_result refused 0 "$digest" "$digest" "$REFUSAL"
  exit "$code"
}

cmd_apply() {
  local text before after operations
  [[ -n ${SSM_Plan:-} ]] || die "$EXIT_USAGE" "apply needs the Plan parameter (SSM_Plan)"
  if ! text=$(decode_plan); then
    REFUSAL="line 0: Plan is not base64 of a gzip stream of at most $PLAN_MAX_BYTES bytes"
    refuse_plan "$EXIT_REFUSED"
  fi
  parse_plan "$text" || refuse_plan "$EXIT_REFUSED"
  acquire_lock || {
    REFUSAL="lock not acquired within ${LOCK_WAIT_SECONDS}s"
    refuse_plan "$EXIT_LOCK"
  }
  read_links
  take_snapshot
  index_state
  before=$(owned_digest)
  translate_all || refuse_plan "$REFUSAL_CODE"
  operations=$(pending_operations)
  if ((operations == 0)); then
    print_apply_result unchanged 0 "$before" "$before" "" with-inspect
    return 0
  fi
  if apply_queued; then
    take_snapshot
    after=$(owned_digest)
    # verify: translated again against the new state, the plan must have nothing left to do
    index_state
    translate_all && (($(pending_operations) == 0)) || log "verify: the plan does not hold after applying"
    log "applied $operations operations"
    print_apply_result applied "$operations" "$before" "$after" "" with-inspect
    return 0
  fi
  log "apply failed, restoring: $ERROR_TEXT"
  if restore_snapshot; then
    after=$(S_RULES=$(window_rules) S_ROUTES=$(window_routes) S_ADDRS=$(ipv4_addresses) S_NFT=$(own_nft_table) owned_digest)
    if [[ $after == "$before" ]]; then
      print_apply_result rolled-back "$operations" "$before" "$after" "$ERROR_TEXT" with-inspect
      exit "$EXIT_ROLLED_BACK"
    fi
  fi
  after=$(S_RULES=$(window_rules) S_ROUTES=$(window_routes) S_ADDRS=$(ipv4_addresses) S_NFT=$(own_nft_table) owned_digest)
  print_apply_result rollback-failed "$operations" "$before" "$after" "$ERROR_TEXT; restore incomplete" with-inspect
  exit "$EXIT_ROLLBACK_FAILED"
}

# ---------------------------------------------------------------- dispatcher

main() {
  local mode=${1:-${SSM_Mode:-}}
  case $mode in
    inspect)
      require_tools
      cmd_inspect
      ;;
    apply)
      require_tools
      cmd_apply
      ;;
    *) die "$EXIT_USAGE" "usage: eni-pbr-agent.sh inspect|apply (plan in SSM_Plan)" ;;
  esac
}

main "$@"
