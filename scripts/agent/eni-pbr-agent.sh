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
#
# Helpers return through globals, not stdout: a command substitution forks, and inspect would fork
# dozens of times (one per link and per string) for nothing.

JSON_OUT=""

# json_string TEXT: JSON_OUT = TEXT as a JSON string.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//[$'\001'-$'\037']/}
  JSON_OUT="\"$s\""
}

# json_lines TEXT: JSON_OUT = the lines of TEXT as a JSON array of strings ([] for no text).
json_lines() {
  local s=$1
  if [[ -z $s ]]; then
    JSON_OUT="[]"
    return
  fi
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/}
  s=${s//[$'\001'-$'\010'$'\013'-$'\037']/}
  JSON_OUT="[\"${s//$'\n'/\",\"}\"]"
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
  for tool in ip awk grep sed flock gzip base64 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$EXIT_TOOL" "required tool missing: $tool"
  done
  ip -j link show lo >/dev/null 2>&1 || die "$EXIT_TOOL" "this iproute2 has no JSON output (ip -j)"
}

# ---------------------------------------------------------------- inspect

# firewall_ruleset: FW_BACKEND and FW_TEXT (the whole ruleset as text; iptables-save where nft is absent).
FW_BACKEND=none FW_TEXT=""
firewall_ruleset() {
  FW_BACKEND=none FW_TEXT=""
  if command -v nft >/dev/null 2>&1 && FW_TEXT=$(nft list ruleset 2>/dev/null); then
    FW_BACKEND=nft
  elif command -v iptables-save >/dev/null 2>&1 && FW_TEXT=$(iptables-save 2>/dev/null); then
    FW_BACKEND=iptables
  fi
}

# matching_lines PATTERN TEXT: JSON_OUT = trimmed lines matching PATTERN (ERE, any case), at most FIREWALL_LINES_MAX.
matching_lines() {
  local found
  found=$(printf '%s\n' "$2" | grep -iE -e "$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | head -n "$FIREWALL_LINES_MAX") || true
  json_lines "$found"
}

inspect_firewall() {
  local own=null marks
  firewall_ruleset
  if [[ $FW_BACKEND == nft && $FW_TEXT == *"table inet eni_pbr {"* ]]; then
    own=$(nft -j list table inet eni_pbr 2>/dev/null) || own=null
    [[ -n $own ]] || own=null
  fi
  matching_lines 'mark' "$FW_TEXT"
  marks=$JSON_OUT
  matching_lines 'masquerade|snat|dnat|redirect' "$FW_TEXT"
  printf '{"backend":"%s","ownTable":%s,"markLines":%s,"natLines":%s}' "$FW_BACKEND" "$own" "$marks" "$JSON_OUT"
}

# read_sysctl PATH: SYSCTL_VALUE = the first line of PATH, "" when unreadable.
SYSCTL_VALUE=""
read_sysctl() {
  SYSCTL_VALUE=""
  if [[ -r $1 ]]; then read -r SYSCTL_VALUE <"$1" || true; fi
}

inspect_sysctl() {
  local dir name rp="" sep="" forward
  for dir in /proc/sys/net/ipv4/conf/*/; do
    name=${dir%/}
    name=${name##*/}
    read_sysctl "$dir/rp_filter"
    json_string "$SYSCTL_VALUE"
    rp+="$sep\"$name\":$JSON_OUT" # interface names carry no quote or backslash (dev_valid_name)
    sep=","
  done
  read_sysctl /proc/sys/net/ipv4/ip_forward
  json_string "$SYSCTL_VALUE"
  forward=$JSON_OUT
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  json_string "$SYSCTL_VALUE"
  printf '{"ipForward":%s,"srcValidMark":%s,"rpFilter":{%s}}' "$forward" "$JSON_OUT" "$rp"
}

# running_commands: RUNNING[comm] for every process (no pgrep on minimal images).
declare -A RUNNING=()
running_commands() {
  local comm_file comm
  RUNNING=()
  for comm_file in /proc/[0-9]*/comm; do
    if read -r comm <"$comm_file" 2>/dev/null; then RUNNING[$comm]=1; fi
  done
}

# exists_flag PATH...: "true" when any PATH exists, in FLAG.
FLAG=false
exists_flag() {
  local path
  FLAG=false
  for path in "$@"; do
    if [[ -e $path ]]; then FLAG=true; fi
  done
}

inspect_managers() {
  local netplan=false file cloud_init ec2 nm_cloud vpc_cni nm=false networkd=false
  for file in /etc/netplan/*.yaml; do
    if [[ -e $file ]]; then netplan=true; fi
  done
  exists_flag /etc/udev/rules.d/90-cloud-init-hook-hotplug.rules /usr/bin/cloud-init
  cloud_init=$FLAG
  exists_flag /usr/lib/systemd/system/refresh-policy-routes@.service /usr/share/amazon-ec2-net-utils
  ec2=$FLAG
  exists_flag /usr/libexec/nm-cloud-setup /usr/lib/NetworkManager/nm-cloud-setup /usr/lib/systemd/system/nm-cloud-setup.service
  nm_cloud=$FLAG
  exists_flag /opt/cni/bin/aws-cni /var/run/aws-node
  vpc_cni=$FLAG
  running_commands
  if [[ -n ${RUNNING[NetworkManager]+x} ]]; then nm=true; fi
  # comm is cut at 15 characters: systemd-networkd shows as systemd-network
  if [[ -n ${RUNNING[systemd-network]+x} ]]; then networkd=true; fi
  printf '{"cloudInitHotplug":%s,"netplan":%s,"ec2NetUtils":%s,"nmCloudSetup":%s,"networkManager":%s,"systemdNetworkd":%s,"vpcCni":%s}' \
    "$cloud_init" "$netplan" "$ec2" "$nm_cloud" "$nm" "$networkd" "$vpc_cni"
}

# os_release: JSON_OUT = "<ID> <VERSION_ID>" from /etc/os-release as a JSON string (read, never sourced).
os_release() {
  local key value id="" version=""
  if [[ -r /etc/os-release ]]; then
    while IFS='=' read -r key value; do
      value=${value//\"/}
      case $key in
        ID) id=$value ;;
        VERSION_ID) version=$value ;;
        *) ;;
      esac
    done </etc/os-release
  fi
  json_string "$id $version"
}

bridge_names() {
  local names
  names=$(ip -o link show type bridge 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }') || names=""
  json_lines "$names"
  printf '%s' "$JSON_OUT"
}

inspect_document() {
  local hostname kernel
  json_string "$(uname -n)"
  hostname=$JSON_OUT
  json_string "$(uname -r)"
  kernel=$JSON_OUT
  os_release
  printf '{"schemaVersion":%d,"agentVersion":"%s","host":{"hostname":%s,"kernel":%s,"osRelease":%s},' \
    "$SCHEMA_VERSION" "$AGENT_VERSION" "$hostname" "$kernel" "$JSON_OUT"
  printf '"links":%s,"bridges":%s,"addr":%s,' "$(ip_json link show)" "$(bridge_names)" "$(ip_json addr show)"
  printf '"rules4":%s,"rules6":%s,' "$(ip_json -4 rule show)" "$(ip_json -6 rule show)"
  printf '"routes4":%s,"routes6":%s,' "$(ip_json -4 route show table all)" "$(ip_json -6 route show table all)"
  printf '"firewall":%s,"sysctl":%s,"managers":%s}' "$(inspect_firewall)" "$(inspect_sysctl)" "$(inspect_managers)"
}

cmd_inspect() {
  emit_sized "$(inspect_document)"
  printf '\n'
}

# ---------------------------------------------------------------- plan: validation and translation
#
# One awk program validates every line and, under the lock, translates the plan against the host state
# into ip -batch lines. awk compiles its patterns once: the same checks as bash [[ =~ ]] cost ~30 us a
# match, ~0.5 s for the largest plan. The program is a constant; plan text reaches it only as data on
# stdin and is never evaluated. POSIX awk only (mawk on Debian/Ubuntu): no interval expressions
# like [0-9]{1,3}, no bitwise functions, no gensub.
#
# Input: state sections (translate mode), then "==plan" and the plan text. Output: nothing but
# "REFUSE <line> <reason>" on the first invalid line; else "OK" (validate) or the translation:
# "B4 <ip -4 batch line>", "B6 <ip -6 batch line>", "SYSCTL <0|1>", "CONNMARK <fields>".
readonly PLAN_AWK='
function refuse(n, why) { if (!refused) { refused = 1; print "REFUSE " n " " why } }
function isdec(s, lo, hi) { return s ~ /^(0|[1-9][0-9]*)$/ && length(s) <= 10 && s + 0 >= lo && s + 0 <= hi }
function ismac(s) { return length(s) == 17 && s ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])$/ }
function isifname(s) { return length(s) >= 1 && length(s) <= 15 && s !~ /[^A-Za-z0-9_.-]/ }
function ishex(s) { return length(s) >= 3 && length(s) <= 10 && s ~ /^0x[0-9a-f]+$/ }
function hexval(s,   i, v) { v = 0; for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
# 0x0007f → 0x7f as ip prints it (not sprintf %x: some mawk builds clamp values above 2^31)
function hexnorm(s) { s = substr(s, 3); sub(/^0+/, "", s); return "0x" (s == "" ? "0" : s) }
function bit(v, i) { return int(v / 2 ^ i) % 2 }
# mark and mask are hex, non-zero, and the mark has no bit outside the mask
function markok(mark, mask,   i, m, k) {
  if (!ishex(mark) || !ishex(mask)) return 0
  m = hexval(mark); k = hexval(mask)
  if (m == 0 || k == 0) return 0
  for (i = 0; i < 32; i++) if (bit(m, i) && !bit(k, i)) return 0
  return 1
}
function ipv4(s,   o, i) {
  if (length(s) > 15 || s !~ /^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$/) return 0
  split(s, o, "[.]"); V4 = 0
  for (i = 1; i <= 4; i++) { if (!isdec(o[i], 0, 255)) return 0; V4 = V4 * 256 + o[i] }
  return 1
}
# fills G[1..8]; strict lower-case hex, at most one "::", no dotted-quad tail
function ipv6(s,   k, head, tail, h, t, nh, nt, i) {
  if (length(s) < 2 || length(s) > 39 || s ~ /[^0-9a-f:]/ || s ~ /:::/) return 0
  k = index(s, "::")
  if (k) {
    head = substr(s, 1, k - 1); tail = substr(s, k + 2)
    if (index(tail, "::") || head ~ /^:/ || tail ~ /:$/) return 0
    nh = head == "" ? 0 : split(head, h, ":"); nt = tail == "" ? 0 : split(tail, t, ":")
    if (nh + nt > 7) return 0
    for (i = 1; i <= 8; i++) G[i] = "0"
    for (i = 1; i <= nh; i++) G[i] = h[i]
    for (i = 1; i <= nt; i++) G[8 - nt + i] = t[i]
  } else {
    if (s ~ /^:/ || s ~ /:$/ || split(s, h, ":") != 8) return 0
    for (i = 1; i <= 8; i++) G[i] = h[i]
  }
  for (i = 1; i <= 8; i++) { if (G[i] == "" || length(G[i]) > 4) return 0; G[i] = hexval("0x" G[i]) }
  return 1
}
function ip(fam, s) { return fam == "4" ? ipv4(s) : ipv6(s) }
# zero: the host part must be zero too (routes and rules name networks)
function cidr(fam, s, zero,   k, a, len, i, b) {
  k = index(s, "/"); if (!k) return 0
  a = substr(s, 1, k - 1); len = substr(s, k + 1)
  if (!isdec(len, 0, fam == "4" ? 32 : 128)) return 0
  len += 0
  if (fam == "4") { if (!ipv4(a)) return 0; return !zero || len == 32 || V4 % 2 ^ (32 - len) == 0 }
  if (!ipv6(a)) return 0
  if (!zero) return 1
  for (i = 1; i <= 8; i++) {
    b = len - 16 * (i - 1)
    if (b <= 0) { if (G[i] != 0) return 0 } else if (b < 16) { if (G[i] % 2 ^ (16 - b) != 0) return 0 }
  }
  return 1
}
function intables(s) { return isdec(s, TMIN, TMAX) }
function inprefs(s) { return isdec(s, PMIN, PMAX) }
function header(s,   r, t, p) {
  if (s !~ /^eni-pbr-plan 1 tables=[0-9]+-[0-9]+ prefs=[0-9]+-[0-9]+$/) return refuse(1, "not an eni-pbr-plan 1 header")
  split(s, r, " "); split(substr(r[3], 8), t, "-"); split(substr(r[4], 7), p, "-")
  if (!isdec(t[1], TWMIN, TWMAX) || !isdec(t[2], t[1], TWMAX)) return refuse(1, "table range outside " TWMIN "-" TWMAX)
  if (!isdec(p[1], PWMIN, PWMAX) || !isdec(p[2], p[1], PWMAX)) return refuse(1, "priority range outside " PWMIN "-" PWMAX)
  TMIN = t[1] + 0; TMAX = t[2] + 0; PMIN = p[1] + 0; PMAX = p[2] + 0
}
# the selector of a rule line: f[5] onwards, nf fields in all
function ruleok(n, f, nf,   fam, verb) {
  fam = f[3]; verb = f[2]
  if (nf == 8 && f[5] == "from" && f[7] == "table" && f[8] != "main") return cidr(fam, f[6], 1) && intables(f[8]) || refuse(n, "bad rule source or table")
  if (nf == 10 && f[5] == "from" && f[7] == "iif" && f[8] == "lo" && f[9] == "table") return cidr(fam, f[6], 1) && intables(f[10]) || refuse(n, "bad rule source or table")
  if (nf == 8 && f[5] == "fwmark" && f[7] == "table") {
    if (fam != "4" || !intables(f[8]) || split(f[6], mm, "/") != 2 || !markok(mm[1], mm[2])) return refuse(n, "bad fwmark rule")
    return 1
  }
  if (nf == 8 && f[5] == "iif" && verb == "add" && f[7] == "table" && f[8] == "main") return ismac(f[6]) || refuse(n, "bad iif rule")
  if (nf == 8 && f[5] == "iifname" && verb == "del" && f[7] == "table" && f[8] == "main") return isifname(f[6]) || refuse(n, "bad iifname rule")
  return refuse(n, "unknown rule form")
}
function connmarkok(n, f, nf,   i, pair, seenmac, seenmark, mask, mac, mark) {
  mask = f[2]
  if (!ishex(mask) || hexval(mask) == 0) return refuse(n, "bad connmark mask")
  for (i = 3; i <= nf; i++) {
    if (split(f[i], pair, "=") != 2 || !ismac(pair[1]) || !markok(pair[2], mask)) return refuse(n, "bad connmark pair " f[i])
    mac = pair[1]; mark = hexval(pair[2])
    if ((mac in seenmac) || (mark in seenmark)) return refuse(n, "duplicate connmark MAC or mark")
    seenmac[mac] = 1; seenmark[mark] = 1
  }
  return 1
}
function lineok(n, s,   f, nf, op) {
  if (s == "" || s ~ /[^A-Za-z0-9 .\/:=_-]/) return refuse(n, "characters outside the plan alphabet")
  if (s ~ /^ / || s ~ / $/ || s ~ /  /) return refuse(n, "fields must be separated by single spaces")
  nf = split(s, f, " "); op = f[1] " " f[2]
  if (op == "addr add" || op == "addr del") {
    if (nf != 4 || !ismac(f[3]) || !cidr(4, f[4], 0) || f[4] ~ /\/0$/) return refuse(n, "bad address operation")
  } else if (op == "route replace") {
    if ((f[3] != "4" && f[3] != "6") || !intables(f[4])) return refuse(n, "bad route family or table outside the plan range")
    if (nf == 7 && f[6] == "dev") { if (!cidr(f[3], f[5], 1) || !ismac(f[7])) return refuse(n, "bad route") }
    else if (nf == 9 && f[5] == "default" && f[6] == "via" && f[8] == "dev") { if (!ip(f[3], f[7]) || !ismac(f[9])) return refuse(n, "bad default route") }
    else return refuse(n, "unknown route form")
  } else if (op == "route del") {
    if (nf != 5 || (f[3] != "4" && f[3] != "6") || !intables(f[4])) return refuse(n, "bad route deletion")
    if (f[5] != "default" && !cidr(f[3], f[5], 1)) return refuse(n, "bad route destination")
  } else if (op == "rule add" || op == "rule del") {
    if ((f[3] != "4" && f[3] != "6") || !inprefs(f[4])) return refuse(n, "bad rule family or priority outside the plan range")
    return ruleok(n, f, nf)
  } else if (op == "sysctl net.ipv4.conf.all.src_valid_mark") {
    if (nf != 3 || (f[3] != "0" && f[3] != "1")) return refuse(n, "bad sysctl value")
    if (sysctls++) return refuse(n, "more than one sysctl line")
  } else if (f[1] == "connmark") {
    if (connmarks++) return refuse(n, "more than one connmark line")
    return connmarkok(n, f, nf)
  } else return refuse(n, "unknown operation")
  return 1
}
function short(fam, s) { if (fam == "4") sub(/\/32$/, "", s); else sub(/\/128$/, "", s); return s }
function resolve(n, mac) { if (MACIF[mac] == "") { refuse(n, "no single non-bridge link carries " mac); return "" } return MACIF[mac] }
function emit(fam, s) { OUT[++nout] = "B" fam " " s }
function translate(n, s,   f, nf, fam, dev, key, shown, tail, sel, table, present, label) {
  nf = split(s, f, " "); fam = f[3]
  if (f[1] == "addr") {
    if ((dev = resolve(n, f[3])) == "") return
    key = dev " " f[4]
    if (f[2] == "add") {
      if (key in ADDR) return
      label = length(dev) + length(LABEL) <= IFNAMEMAX ? " label " dev LABEL : ""
      emit(4, "address add " f[4] " dev " dev label)
    } else if (key in ADDR) {
      # only addresses eni-pbr labelled are ever removed: the primary and cloud-init ones are not ours
      if (ADDR[key] != dev LABEL) return refuse(n, f[4] " on " dev " is not labelled " dev LABEL)
      emit(4, "address del " f[4] " dev " dev)
    }
  } else if (f[1] == "route" && f[2] == "del") {
    if ((fam " " f[4] " " short(fam, f[5])) in OWNROUTE) emit(fam, "route del " f[5] " table " f[4] " proto " PROTO)
  } else if (f[1] == "route") {
    tail = fam == "6" ? " metric 1024" : ""
    if (f[5] == "default") {
      if ((dev = resolve(n, f[9])) == "") return
      shown = "default via " f[7] " dev " dev " table " f[4] " proto " PROTO tail " onlink" (fam == "6" ? " pref medium" : "")
      if (!((fam " " shown) in ROUTE)) emit(fam, "route replace default via " f[7] " dev " dev " table " f[4] " proto " PROTO " onlink")
    } else {
      if ((dev = resolve(n, f[7])) == "") return
      shown = short(fam, f[5]) " dev " dev " table " f[4] " proto " PROTO (fam == "4" ? " scope link" : tail " pref medium")
      if (!((fam " " shown) in ROUTE)) emit(fam, "route replace " f[5] " dev " dev " table " f[4] " proto " PROTO)
    }
  } else if (f[1] == "rule") {
    table = f[nf]; present = 0
    if (f[5] == "from" && f[7] == "iif") { sel = "from " f[6] " iif lo"; shown = "from " short(fam, f[6]) " iif lo" }
    else if (f[5] == "from") { sel = "from " f[6]; shown = "from " short(fam, f[6]) }
    else if (f[5] == "fwmark") { split(f[6], mm, "/"); sel = "fwmark " hexnorm(mm[1]) "/" hexnorm(mm[2]); shown = "from all " sel }
    else if (f[5] == "iif") { if ((dev = resolve(n, f[6])) == "") return; sel = "iif " dev; shown = "from all iif " dev }
    else { sel = "iif " f[6]; shown = "from all iif " f[6]; present = (fam " " f[4] ":\tfrom all iif " f[6] " [detached] lookup main proto " PROTO) in RULE }
    if ((fam " " f[4] ":\t" shown " lookup " table " proto " PROTO) in RULE) present = 1
    if ((f[2] == "add" && !present) || (f[2] == "del" && present)) emit(fam, "rule " f[2] " pref " f[4] " " sel " lookup " table " proto " PROTO)
  } else if (f[1] == "sysctl") {
    if (f[3] != SVM) OUT[++nout] = "SYSCTL " f[3]
  } else if (f[1] == "connmark") OUT[++nout] = "CONNMARK " s
}
$0 == "==plan" && !inplan { inplan = 1; next }
inplan { LINES[++nlines] = $0; next }
/^==/ { section = $0; next }
section == "==links" { if ($1 in MACIF) MACIF[$1] = ""; else MACIF[$1] = NF == 2 ? $2 : ""; next }
section == "==rules" { RULE[$0] = 1; next }
section == "==routes" {
  ROUTE[$0] = 1
  d = $2 ~ /^(unicast|local|broadcast|multicast|unreachable|prohibit|blackhole|throw|anycast)$/ ? $3 : $2
  for (i = 3; i < NF; i++) if ($i == "table" && $(i + 2) == "proto" && $(i + 3) == PROTO) OWNROUTE[$1 " " $(i + 1) " " d] = 1
  next
}
section == "==addrs" { ADDR[$1 " " $2] = $4; next }
section == "==sysctl" { SVM = $1; next }
END {
  if (nlines == 0) { refuse(1, "empty plan"); exit }
  if (nlines > MAXLINES) { refuse(0, "more than " MAXLINES " lines"); exit }
  header(LINES[1])
  for (i = 2; i <= nlines && !refused; i++) lineok(i, LINES[i])
  if (refused) exit
  if (MODE == "validate") { print "OK"; exit }
  for (i = 2; i <= nlines && !refused; i++) translate(i, LINES[i])
  if (refused) exit
  for (i = 1; i <= nout; i++) print OUT[i]
}'

# run_plan_awk MODE TEXT [STATE]: the program above over STATE then TEXT.
run_plan_awk() {
  printf '%s\n==plan\n%s\n' "${3:-}" "$2" | awk -v MODE="$1" -v PROTO="$OWN_PROTO" -v MAXLINES="$PLAN_MAX_LINES" \
    -v IFNAMEMAX="$IFNAME_MAX" -v LABEL="$LABEL_SUFFIX" \
    -v TWMIN="$TABLE_WINDOW_MIN" -v TWMAX="$TABLE_WINDOW_MAX" -v PWMIN="$PREF_WINDOW_MIN" -v PWMAX="$PREF_WINDOW_MAX" "$PLAN_AWK"
}

REFUSAL=""
REFUSAL_CODE=$EXIT_REFUSED
refuse() {
  REFUSAL="line $1: $2"
  return 1
}

# validate_plan TEXT: every line against the grammar; reads no host state, changes nothing.
validate_plan() {
  local out
  out=$(run_plan_awk validate "$1") || refuse 0 "the plan validator failed" || return 1
  [[ $out == OK ]] && return 0
  out=${out#REFUSE }
  refuse "${out%% *}" "${out#* }"
}

# host_state: the snapshot, in the sections the plan program reads.
host_state() {
  local mac
  printf '==links\n'
  for mac in "${!MAC_IF[@]}"; do printf '%s %s\n' "$mac" "${MAC_IF[$mac]}"; done
  printf '==rules\n%s\n==routes\n%s\n==addrs\n%s\n==sysctl\n%s\n' "$S_RULES" "$S_ROUTES" "$S_ADDRS" "$S_SVM"
}

BATCH4=() BATCH6=() SYSCTL_TARGET="" NFT_SCRIPT="" NFT_DELETE=false

# translate_plan TEXT: validated plan + snapshot → queued work; refuses on a MAC no link carries.
translate_plan() {
  local out line connmark=""
  BATCH4=() BATCH6=() SYSCTL_TARGET="" NFT_SCRIPT="" NFT_DELETE=false
  out=$(run_plan_awk translate "$1" "$(host_state)") || refuse 0 "the plan translator failed" || return 1
  while IFS= read -r line; do
    case $line in
      "B4 "*) BATCH4+=("${line#B4 }") ;;
      "B6 "*) BATCH6+=("${line#B6 }") ;;
      "SYSCTL "*) SYSCTL_TARGET=${line#SYSCTL } ;;
      "CONNMARK "*) connmark=${line#CONNMARK } ;;
      "REFUSE "*)
        line=${line#REFUSE }
        refuse "${line%% *}" "${line#* }"
        return 1
        ;;
      "") ;;
      *) refuse 0 "unexpected translator output" || return 1 ;;
    esac
  done <<<"$out"
  [[ -z $connmark ]] || translate_connmark "$connmark"
}

# decode_plan: $SSM_Plan → plan text on stdout; refuses non-base64, non-gzip and oversized input.
decode_plan() {
  local encoded=${SSM_Plan:-} text
  [[ $encoded =~ ^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$ ]] || return 1
  text=$(printf '%s' "$encoded" | base64 -d 2>/dev/null | gzip -dc 2>/dev/null | head -c $((PLAN_MAX_BYTES + 1))) || return 1
  ((${#text} <= PLAN_MAX_BYTES)) || return 1
  printf '%s' "$text"
}

# ---------------------------------------------------------------- host state (read under the lock)

declare -A MAC_IF=()     # mac → ifname, "" when two non-bridge links carry it
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

# The listings below filter hundreds of kernel lines: awk does it in one process where a bash loop
# would cost ~0.1 s per listing. The programs are constants; only numbers are passed with -v.

# Rules with a priority in the agent's window: the only ones a plan can add or delete.
window_rules() {
  local family
  for family in 4 6; do
    ip "-$family" rule show 2>/dev/null | awk -v fam="$family" -v lo="$PREF_WINDOW_MIN" -v hi="$PREF_WINDOW_MAX" \
      '{ p = $1; sub(/:$/, "", p); if (p ~ /^[0-9]+$/ && p + 0 >= lo && p + 0 <= hi) print fam " " $0 }' || true
  done
}

# Routes in the agent's table window, one line each (-o folds multipath next hops into the line).
window_routes() {
  local family
  for family in 4 6; do
    ip "-$family" -o route show table all 2>/dev/null | awk -v fam="$family" -v lo="$TABLE_WINDOW_MIN" -v hi="$TABLE_WINDOW_MAX" '
      { sub(/ +$/, "")
        for (i = 1; i < NF; i++) if ($i == "table" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) + 0 >= lo && $(i + 1) + 0 <= hi) { print fam " " $0; break } }' || true
  done
}

# IPv4 addresses as "<ifname> <cidr> <brd|-> <label>": enough to put back exactly what was removed.
# In `ip -o` output the label is the word glued to the "\" that ends the address part.
ipv4_addresses() {
  ip -o -4 addr show 2>/dev/null | awk '
    $3 == "inet" { brd = "-"; label = $2
      if ($5 == "brd") brd = $6
      for (i = 5; i <= NF; i++) if ($i ~ /\\$/) { label = substr($i, 1, length($i) - 1); break }
      print $2, $4, brd, label }' || true
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
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  S_SVM=$SYSCTL_VALUE
}

owned_digest() {
  printf 'rules\n%s\nroutes\n%s\naddrs\n%s\nnft\n%s\nsrc_valid_mark %s\n' "$S_RULES" "$S_ROUTES" "$S_ADDRS" "$S_NFT" "$S_SVM" |
    sha256sum | { read -r sum _ && printf '%s' "$sum"; }
}

# ---------------------------------------------------------------- connmark: the nft table

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

# translate_connmark "connmark <mask> [<mac>=<mark> ...]" (validated): NFT_SCRIPT or NFT_DELETE.
translate_connmark() {
  local pair
  local -a f
  IFS=' ' read -r -a f <<<"$1"
  if ! command -v nft >/dev/null 2>&1; then
    REFUSAL_CODE=$EXIT_TOOL
    refuse 0 "connmark needs nft; the iptables fallback is not implemented" || return 1
  fi
  if ((${#f[@]} == 2)); then
    [[ -z $S_NFT ]] || NFT_DELETE=true
    return 0
  fi
  for pair in "${f[@]:2}"; do
    [[ -n ${MAC_IF[${pair%=*}]:-} ]] || refuse 0 "no single non-bridge link carries ${pair%=*}" || return 1
  done
  NFT_SCRIPT=$(render_nft "${f[@]:1}")
  [[ $NFT_SCRIPT != "$S_NFT" ]] || NFT_SCRIPT=""
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
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  [[ $SYSCTL_VALUE == "$S_SVM" ]] || write_src_valid_mark "$S_SVM" || ok=1
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
  if [[ -n $5 ]]; then
    json_string "$5"
    error=$JSON_OUT
  fi
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
  validate_plan "$text" || refuse_plan "$EXIT_REFUSED"
  acquire_lock || {
    REFUSAL="lock not acquired within ${LOCK_WAIT_SECONDS}s"
    refuse_plan "$EXIT_LOCK"
  }
  read_links
  take_snapshot
  before=$(owned_digest)
  translate_plan "$text" || refuse_plan "$REFUSAL_CODE"
  operations=$(pending_operations)
  if ((operations == 0)); then
    print_apply_result unchanged 0 "$before" "$before" "" with-inspect
    return 0
  fi
  if apply_queued; then
    take_snapshot
    after=$(owned_digest)
    # verify: translated again against the new state, the plan must have nothing left to do
    translate_plan "$text" && (($(pending_operations) == 0)) || log "verify: the plan does not hold after applying"
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
