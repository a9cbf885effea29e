#!/usr/bin/env bash
# eni-pbr agent: the only eni-pbr code that touches an instance's kernel. It runs inside the SSM Command
# document ssm/eni-pbr-agent.json (generated from this file) and speaks docs/agent-protocol.md:
#   eni-pbr-agent.sh inspect   prints the host state as one JSON document
#   eni-pbr-agent.sh apply     applies the plan in $SSM_Plan (base64 of gzip), all or nothing
# Targets bash >= 4.2 and iproute2 >= 5.2 (-j and -N): no bash-5-only features, and no jq (not on every AMI).
# Never write two opening curly braces in a row here: SSM would interpolate them.
# Speed: an exec costs ~3 ms: hot paths count processes; big outputs stay in awk or are cut by offset;
# a pipe is read as $(</dev/fd/N), not $(cat <&N).
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
readonly OUTPUT_MAX=24000           #   that limit: a longer output is replaced by a small "too large" one
readonly ERROR_MAX=1000             # chars of ip/nft error text kept in result.error
readonly DOCUMENT_FAST_MAX=250000  # chars; longer: gzip -7 (320 KB → 17.9 K at -6's cost; -8 16.2 K, 2x CPU)
readonly FIREWALL_LINES_MAX=200     # mark/NAT lines reported, so a huge ruleset cannot blow the budget
readonly LOCK_WAIT_SECONDS=30       # two applies on one host wait for each other this long at most
readonly PLAN_MAX_BYTES=1048576     # decoded plan cap: 15 ENIs x 50 IPs is ~100 KB; refuse gzip bombs
readonly PLAN_MAX_LINES=20000       # far above any real plan (15 ENIs x 64 IPs x a few lines each)
readonly IFNAME_MAX=15              # IFNAMSIZ - 1
readonly LABEL_SUFFIX=":ep"         # IPv4 label that says "eni-pbr added this address"
readonly HEADER_WIDTH=70            # the plan program's first line: seven numbers printed "%9d "
readonly IPT_PRE=ENI_PBR_PRE        # iptables fallback: own mangle chains, jumped to from PREROUTING
readonly IPT_OUT=ENI_PBR_OUT        #   and OUTPUT

readonly STARTED=${EPOCHREALTIME:-} # bash >= 5 only: the apply log line then says how long it took

readonly EXIT_USAGE=2 EXIT_REFUSED=3 EXIT_LOCK=4 EXIT_ROLLED_BACK=5 EXIT_ROLLBACK_FAILED=6 EXIT_TOOL=7

log() { printf 'eni-pbr-agent: %s\n' "$*" >&2; }

# elapsed_ms: ELAPSED = " <ms since start>", "" without EPOCHREALTIME.
ELAPSED=""
elapsed_ms() {
  ELAPSED=""
  [[ -z $STARTED ]] || ELAPSED=" $(((${EPOCHREALTIME/./} - ${STARTED/./}) / 1000))"
}
die() {
  local code=$1
  shift
  log "$*"
  exit "$code"
}

# ---- JSON (no jq on the instance)

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

# ---- prerequisites

require_tools() {
  local tool
  if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 2))); then
    die "$EXIT_TOOL" "bash >= 4.2 required, found $BASH_VERSION"
  fi
  for tool in ip awk flock gzip base64 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$EXIT_TOOL" "required tool missing: $tool"
  done
  # -N (iproute2 5.2) keeps rt_tables names out of the comparisons; probed alongside apply's lock
  exec {IP_PROBE}< <(ip -j -N link show lo >/dev/null 2>&1 && printf ok)
}
require_ip() {
  local ok=""
  read -r ok <&"$IP_PROBE" || [[ $ok == ok ]] || die "$EXIT_TOOL" "this iproute2 lacks JSON (-j) or numeric (-N) output; 5.2 or later is needed"
}

# firewall_backend: FW_BACKEND = nft where nft exists, else iptables (iptables-save/-restore), else none.
FW_BACKEND=none
firewall_backend() {
  FW_BACKEND=none
  if command -v nft >/dev/null 2>&1; then
    FW_BACKEND=nft
  elif command -v iptables-save >/dev/null 2>&1 && command -v iptables-restore >/dev/null 2>&1; then
    FW_BACKEND=iptables
  fi
}

# ---- inspect

# Over nft list ruleset or iptables-save: MODE=inspect prints 1|0 (table inet eni_pbr exists), the
# members markLines, natLines, ownIptables (null unless IPT=1), then (OWN=1) a newline and the own state:
# table inet eni_pbr as `list ruleset` prints it (as `list table` does) or, as MODE=own alone, the own
# mangle lines in iptables-save's order. Escaping joins pieces: gsub replacements differ across awks.
readonly FIREWALL_AWK='
function join(s, re, by,   n, p, i, out) { n = split(s, p, re); out = p[1]; for (i = 2; i <= n; i++) out = out by p[i]; return out }
function esc(s) { s = join(s, "\\\\", "\\\\"); s = join(s, "\"", "\\\""); s = join(s, "\t", "\\t"); gsub(/[[:cntrl:]]/, "", s); return "\"" s "\"" }
function add(arr, n, s) { return (n ? arr "," : "") esc(s) }
function ownline(s) {
  if (s ~ /^:ENI_PBR_OUT /) DOUT = s
  else if (s ~ /^:ENI_PBR_PRE /) DPRE = s
  else if (s == "-A PREROUTING -j ENI_PBR_PRE") JPRE[++njpre] = s
  else if (s == "-A OUTPUT -j ENI_PBR_OUT") JOUT[++njout] = s
  else if (s ~ /^-A ENI_PBR_OUT /) ROUT[++nrout] = s
  else if (s ~ /^-A ENI_PBR_PRE /) RPRE[++nrpre] = s
}
$0 == "==legacy" { legacy = 1; tbl = ""; next }
{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
!legacy && line == "table inet eni_pbr {" { own = 1; innft = 1 }
innft { NFT[++nnft] = $0; if ($0 == "}") innft = 0 }
/^\*/ { tbl = legacy ? "" : $0 }
tbl == "*mangle" { ownline(line) }
tolower(line) ~ /mark/ && nm < MAX { marks = add(marks, nm++, line) }
tolower(line) ~ /masquerade|snat|dnat|redirect/ && nn < MAX { nats = add(nats, nn++, line) }
END {
  n = 0
  if (DOUT != "") O[++n] = DOUT
  if (DPRE != "") O[++n] = DPRE
  for (i = 1; i <= njpre; i++) O[++n] = JPRE[i]
  for (i = 1; i <= njout; i++) O[++n] = JOUT[i]
  for (i = 1; i <= nrout; i++) O[++n] = ROUT[i]
  for (i = 1; i <= nrpre; i++) O[++n] = RPRE[i]
  if (MODE == "inspect") {
    for (i = 1; i <= n; i++) ipt = add(ipt, i - 1, O[i])
    printf "%d\"markLines\":[%s],\"natLines\":[%s],\"ownIptables\":%s", own, marks, nats, IPT ? "[" ipt "]" : "null"
    if (!OWN) exit
    printf "\n"
  }
  for (i = 1; i <= nnft; i++) print NFT[i]
  for (i = 1; i <= n; i++) print O[i]
}'

# legacy_listing: "==legacy" and the legacy iptables tables' listing, where this namespace has legacy
# tables the backend's listing cannot show: nft lists nf_tables only, and so does an nft-based
# iptables-save. Their mark and NAT lines count as evidence (never as own state). The tables are read
# only when /proc lists one: listing a legacy table creates it.
legacy_listing() {
  local names="" version=""
  read -r names </proc/net/ip_tables_names 2>/dev/null || true
  [[ -n $names ]] || return 0
  if [[ $FW_BACKEND == iptables ]]; then
    version=$(iptables-save --version 2>/dev/null) || true
    [[ $version == *nf_tables* ]] || return 0 # iptables-save is the legacy one: already listed
  fi
  if command -v iptables-legacy-save >/dev/null 2>&1; then
    printf '==legacy\n'
    iptables-legacy-save 2>/dev/null || true
  elif [[ $FW_BACKEND == nft ]] && version=$(iptables-save --version 2>/dev/null) && [[ $version != *nf_tables* ]]; then
    printf '==legacy\n'
    iptables-save 2>/dev/null || true
  fi
}

# inspect_firewall: FW_JSON = the inspect document's firewall member; FW_OWN = what print_own_firewall
# prints, from the same listing.
FW_JSON="" FW_OWN=""
inspect_firewall() {
  local out="" own=null first="" own_fd
  firewall_backend
  # the own table as JSON, alongside: used if the ruleset holds it
  [[ $FW_BACKEND != nft ]] || exec {own_fd}< <(own=$(nft -j list table inet eni_pbr 2>/dev/null) && printf '%s' "$own")
  if [[ $FW_BACKEND == nft ]] && ! out=$({ nft list ruleset 2>/dev/null && legacy_listing; } | awk -v MODE=inspect -v OWN=1 -v IPT=0 -v MAX="$FIREWALL_LINES_MAX" "$FIREWALL_AWK"); then
    FW_BACKEND=none
  elif [[ $FW_BACKEND == iptables ]] && ! out=$({ iptables-save 2>/dev/null && legacy_listing; } | awk -v MODE=inspect -v OWN=1 -v IPT=1 -v MAX="$FIREWALL_LINES_MAX" "$FIREWALL_AWK"); then
    FW_BACKEND=none
  fi
  [[ $FW_BACKEND != none ]] || out=$(awk -v MODE=inspect -v IPT=0 -v MAX=0 "$FIREWALL_AWK" </dev/null)
  # split at the first newline by its offset: ${out%%$'\n'*} is quadratic in bash (~20 ms for 3 KB)
  IFS= read -r first <<<"$out" || true
  FW_OWN=${out:${#first}+1}
  out=$first
  if [[ $FW_BACKEND == nft && ${out:0:1} == 1 ]]; then
    own=$(<"/dev/fd/$own_fd")
    [[ -n $own ]] || own=null
  fi
  FW_JSON="{\"backend\":\"$FW_BACKEND\",\"ownTable\":$own,${out:1}}"
}

# read_sysctl PATH: SYSCTL_VALUE = the first line of PATH, "" when unreadable.
SYSCTL_VALUE=""
read_sysctl() {
  SYSCTL_VALUE=""
  if [[ -r $1 ]]; then read -r SYSCTL_VALUE <"$1" || true; fi
}

SYSCTL_JSON=""
inspect_sysctl() {
  local dir name value rp="" sep="" forward
  for dir in /proc/sys/net/ipv4/conf/*/; do
    name=${dir%/}
    name=${name##*/}
    read_sysctl "$dir/rp_filter"
    json_string "$SYSCTL_VALUE"
    value=$JSON_OUT
    json_string "$name" # the kernel allows a quote or a backslash in a name (dev_valid_name)
    rp+="$sep$JSON_OUT:$value"
    sep=","
  done
  read_sysctl /proc/sys/net/ipv4/ip_forward
  json_string "$SYSCTL_VALUE"
  forward=$JSON_OUT
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  json_string "$SYSCTL_VALUE"
  SYSCTL_JSON="{\"ipForward\":$forward,\"srcValidMark\":$JSON_OUT,\"rpFilter\":{$rp}}"
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

MANAGERS_JSON=""
inspect_managers() {
  local netplan=false file cloud_init ec2 nm_cloud vpc_cni nm=false networkd=false comms
  for file in /etc/netplan/*.yaml; do
    if [[ -e $file ]]; then netplan=true; fi
  done
  exists_flag /etc/udev/rules.d/90-cloud-init-hook-hotplug.rules /usr/bin/cloud-init && cloud_init=$FLAG
  exists_flag /usr/lib/systemd/system/refresh-policy-routes@.service /usr/share/amazon-ec2-net-utils && ec2=$FLAG
  exists_flag /usr/libexec/nm-cloud-setup /usr/lib/NetworkManager/nm-cloud-setup /usr/lib/systemd/system/nm-cloud-setup.service && nm_cloud=$FLAG
  exists_flag /opt/cni/bin/aws-cni /var/run/aws-node && vpc_cni=$FLAG
  # one cat, captured whole (no pgrep on minimal images; read/mapfile take a pipe byte by byte)
  comms=$'\n'$(cat /proc/[0-9]*/comm 2>/dev/null || true)$'\n'
  [[ $comms != *$'\nNetworkManager\n'* ]] || nm=true
  [[ $comms != *$'\nsystemd-network\n'* ]] || networkd=true # comm is cut at 15 characters
  MANAGERS_JSON="{\"cloudInitHotplug\":$cloud_init,\"netplan\":$netplan,\"ec2NetUtils\":$ec2,\"nmCloudSetup\":$nm_cloud,\"networkManager\":$nm,\"systemdNetworkd\":$networkd,\"vpcCni\":$vpc_cni}"
}

# start_managers: inspect_managers in the background, MANAGERS_FD to read its one line from.
MANAGERS_FD=""
start_managers() {
  [[ -n $MANAGERS_FD ]] || exec {MANAGERS_FD}< <(inspect_managers && printf '%s\n' "$MANAGERS_JSON")
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

# The inspect document, printed by awk (bash never copies the listings) from: the text before "links",
# ip_batches (a line per command: test/agent/inspect.test.ts), "==suffix", the text after "routes6".
# No IPv6 lines gives []; other counts exit 3 (inspect exits 7, apply's "after" is null). A long
# document goes through gzip|base64, a constant command.
readonly DOCUMENT_AWK='
BEGIN { g = 0 }
NR == 1 { prefix = $0; next }
$0 == "==suffix" { insuffix = 1; next }
insuffix { suffix = $0; next }
$0 == "==" { g++; next }
{ L[g, ++n[g]] = $0 }
END {
  if (n[0] != 3 || n[1] != 2 || (n[2] != 2 && n[2] != 0)) exit 3
  s = L[0, 3]; names = ""
  while (match(s, /"ifname":"([^"\\]|\\.)*"/)) { names = (names == "" ? "" : names ",") substr(s, RSTART + 9, RLENGTH - 9); s = substr(s, RSTART + RLENGTH) }
  if (!n[2]) { L[2, 1] = "[]"; L[2, 2] = "[]" }
  doc = prefix "\"links\":" L[0, 2] ",\"bridges\":[" names "],\"addr\":" L[0, 1] ",\"rules4\":" L[1, 1] ",\"rules6\":" L[2, 1] ",\"routes4\":" L[1, 2] ",\"routes6\":" L[2, 2] suffix
  if (length(doc) <= THRESHOLD) { printf "%s", doc; exit }
  zip = length(doc) <= FASTMAX ? "gzip -6c | base64 -w0" : "gzip -7c | base64 -w0"
  printf "{\"schemaVersion\":%d,\"encoding\":\"gzip+base64\",\"payload\":\"", SV
  fflush()
  printf "%s", doc | zip
  close(zip)
  printf "\"}"
}'

# ip_batches: the three batches DOCUMENT_AWK reads, read from the kernel at once and printed in order.
ip_batches() {
  local v4 v6
  exec {v4}< <(ip -4 -j -force -batch - 2>/dev/null <<<$'rule show\nroute show table all' || true) \
    {v6}< <(ip -6 -j -force -batch - 2>/dev/null <<<$'rule show\nroute show table all' || true)
  ip -j -force -batch - 2>/dev/null <<<$'address show\nlink show\nlink show type bridge' || true
  printf '==\n'
  cat "/dev/fd/$v4" - "/dev/fd/$v6" <<<'=='
  exec {v4}<&- {v6}<&-
}

# print_inspect: the inspect document (or its envelope) on stdout, no newline.
AFTER_FW_JSON="" # the firewall member, when apply has read it already
print_inspect() {
  local host kernel os prefix fw_fd=""
  read_sysctl /proc/sys/kernel/hostname # what uname -n prints, without a fork
  json_string "$SYSCTL_VALUE"
  host=$JSON_OUT
  read_sysctl /proc/sys/kernel/osrelease
  json_string "$SYSCTL_VALUE"
  kernel=$JSON_OUT
  os_release
  os=$JSON_OUT
  # the firewall member (two nft runs) is read alongside the ip listings, unless apply has it already
  if [[ -n $AFTER_FW_JSON ]]; then FW_JSON=$AFTER_FW_JSON; else exec {fw_fd}< <(inspect_firewall && printf '%s' "$FW_JSON"); fi
  start_managers
  inspect_sysctl
  printf -v prefix '{"schemaVersion":%d,"agentVersion":"%s","host":{"hostname":%s,"kernel":%s,"osRelease":%s},' \
    "$SCHEMA_VERSION" "$AGENT_VERSION" "$host" "$kernel" "$os"
  {
    printf '%s\n' "$prefix"
    ip_batches
    [[ -z $fw_fd ]] || FW_JSON=$(<"/dev/fd/$fw_fd")
    read -r MANAGERS_JSON <&"$MANAGERS_FD" || inspect_managers
    printf '==suffix\n,"firewall":%s,"sysctl":%s,"managers":%s}\n' "$FW_JSON" "$SYSCTL_JSON" "$MANAGERS_JSON"
  } | awk -v THRESHOLD="$ENVELOPE_THRESHOLD" -v FASTMAX="$DOCUMENT_FAST_MAX" -v SV="$SCHEMA_VERSION" "$DOCUMENT_AWK" && return 0
  local status=$?
  # 3 is the program's own verdict; anything else is awk failing (its message is on stderr already)
  if ((status == 3)); then
    log "this iproute2 prints ip -j -batch listings otherwise than one line per command"
  else
    log "awk failed assembling the inspect document (exit $status)"
  fi
  return 1
}

# print_bounded TEXT: TEXT and a newline, or what replaces it past OUTPUT_MAX (a cut JSON is unreadable).
print_bounded() {
  if ((${#1} + 1 <= OUTPUT_MAX)); then
    printf '%s\n' "$1"
    return 0
  fi
  log "the output takes ${#1} characters; stdout keeps $OUTPUT_MAX"
  printf '{"schemaVersion":%d,"tooLarge":{"chars":%d,"limit":%d}}\n' "$SCHEMA_VERSION" "${#1}" "$OUTPUT_MAX"
}

cmd_inspect() {
  local doc
  doc=$(print_inspect) || exit "$EXIT_TOOL"
  print_bounded "$doc"
}
# ---- plan: validation, observation, translation
# One awk program: MODE=validate checks the plan (no host state); observe reads list_kernel's listings
# (-N: tables as numbers); translate also turns the plan into batches; owned prints the owned state only.
# The plan is only data on stdin. POSIX awk (mawk): no {1,3}, no bit functions. Output: "OK" | "REFUSE
# <line> <reason>", or seven "%9d " numbers (ip -4 and ip -6 line counts, byte lengths of five blocks),
# the blocks (ip -4 lines but rules, ip -4 rules, ip -6 lines, the owned state "A <if> <cidr> <brd|->
# <label>" | "G <if> <group>" | "R <4|6> <rule>" | "T <4|6> <route>", SYSCTL/CONNMARK/CM/REFUSE lines), "==".
readonly PLAN_AWK='
function refuse(n, why) { if (!refused) { refused = 1; REFUSAL = "REFUSE " n " " why } }
function isdec(s, lo, hi) { return s ~ /^(0|[1-9][0-9]*)$/ && length(s) <= 10 && s + 0 >= lo && s + 0 <= hi }
function ismac(s) { return length(s) == 17 && s ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])$/ }
function isifname(s) { return length(s) >= 1 && length(s) <= 15 && s !~ /[^A-Za-z0-9_.-]/ }
function ishex(s) { return length(s) >= 3 && length(s) <= 10 && s ~ /^0x[0-9a-f]+$/ }
function hexval(s,   i, v) { v = 0; for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
# 0x0007f → 0x7f as ip prints it (not sprintf %x: some mawk builds clamp values above 2^31)
function hexnorm(s) { s = substr(s, 3); sub(/^0+/, "", s); return "0x" (s == "" ? "0" : s) }
# 2^e from a table: "^" needs libm in busybox awk, which Debian builds without (bullseye, trixie)
function pow2(e,   i) { if (!(32 in P2)) { P2[0] = 1; for (i = 1; i <= 32; i++) P2[i] = P2[i - 1] * 2 } return P2[e] }
function bit(v, i) { return int(v / pow2(i)) % 2 }
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
  if (fam == "4") { if (!ipv4(a)) return 0; return !zero || len == 32 || V4 % pow2(32 - len) == 0 }
  if (!ipv6(a)) return 0
  if (!zero) return 1
  for (i = 1; i <= 8; i++) {
    b = len - 16 * (i - 1)
    if (b <= 0) { if (G[i] != 0) return 0 } else if (b < 16) { if (G[i] % pow2(16 - b) != 0) return 0 }
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
  if (nf == 8 && f[5] == "suppress-ifgroup" && f[6] == "224" && f[7] == "table" && f[8] == "main") return 1
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
  } else if (op == "link group") {
    if (nf != 4 || !ismac(f[3]) || (f[4] != "224" && f[4] != "0")) return refuse(n, "bad link group")
  } else if (op == "sysctl net.ipv4.conf.all.src_valid_mark") {
    if (nf != 3 || (f[3] != "0" && f[3] != "1")) return refuse(n, "bad sysctl value")
    if (sysctls++) return refuse(n, "more than one sysctl line")
  } else if (f[1] == "connmark") {
    if (connmarks++) return refuse(n, "more than one connmark line")
    return connmarkok(n, f, nf)
  } else return refuse(n, "unknown operation")
  return 1
}
# a CIDR as ip prints it: no /32 or /128, and a /0 is "default" (a rule prints "from all")
function short(fam, s) { if (s ~ /\/0$/) return "default"; if (fam == "4") sub(/\/32$/, "", s); else sub(/\/128$/, "", s); return s }
function from(fam, s) { s = short(fam, s); return s == "default" ? "all" : s }
# A name reaches ip -batch lines ("#" starts a comment) and nft strings: only plain names resolve. The
# name is cut at the first "@" of "name@parent"; /proc/net/dev (no parent there) tells a name holding
# "@" apart. A bridge takes a port'"'"'s MAC and a bond its slaves'"'"': enslaved links never resolve, a bond
# does (functions/core/planner/resolve-interface.ts).
function resolve(n, mac,   k) {
  if (!(mac in MACIF) && (mac in ENSLAVED)) { refuse(n, mac " is only on a link enslaved to another (a bridge port or bond slave)"); return "" }
  k = MACIF[mac]
  if (k == "") { refuse(n, "no single non-bridge link carries " mac); return "" }
  if (!isifname(IFN[k]) || !(IFN[k] in DEVNAME) || (IFN[k] in ATNAME)) { refuse(n, "the link carrying " mac " has a name outside ^[A-Za-z0-9_.-]{1,15}$"); return "" }
  return IFN[k]
}
function emit(fam, s) { if (fam == "6") { B6[++n6] = s; l6 += length(s) + 1 } else if (s ~ /^rule /) { R4[++r4] = s; lr4 += length(s) + 1 } else { B4[++n4] = s; l4 += length(s) + 1 } }
function misc(s) { MISC[++nmisc] = s; lmisc += length(s) + 1 }
function own(s) { STATE[++nstate] = s; lstate += length(s) + 1 }
# table numbers as ip -N prints them ("main" is 254)
function tnum(t) { return t == "main" ? "254" : t }
function translate(n, s,   f, nf, fam, dev, key, shown, tail, sel, table, present, label, i, pair, extra) {
  nf = split(s, f, " "); fam = f[3]
  if (f[1] == "link") {
    # only a link in the default group or in group 224 is ever moved: another group belongs to another tool
    if ((dev = resolve(n, f[3])) == "" || LINKGROUP[dev] == f[4]) return
    if (LINKGROUP[dev] != "0" && LINKGROUP[dev] != "224") return refuse(n, dev " is in group " LINKGROUP[dev] ", not 0 or 224")
    emit(4, "link set dev " dev " group " f[4])
  } else if (f[1] == "addr") {
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
      # (busybox awk reads "NAME (" as a call: a conditional is never concatenated right after a name)
      tail = fam == "4" ? " scope 253" : tail " pref medium"
      shown = short(fam, f[5]) " dev " dev " table " f[4] " proto " PROTO tail
      if (!((fam " " shown) in ROUTE)) emit(fam, "route replace " f[5] " dev " dev " table " f[4] " proto " PROTO)
    }
  } else if (f[1] == "rule") {
    table = f[nf]; present = 0; extra = ""
    if (f[5] == "from" && f[7] == "iif") { sel = "from " f[6] " iif lo"; shown = "from " from(fam, f[6]) " iif lo" }
    else if (f[5] == "from") { sel = "from " f[6]; shown = "from " from(fam, f[6]) }
    # ip rule prints a full mask not at all: "fwmark 0x1"
    else if (f[5] == "fwmark") { split(f[6], mm, "/"); sel = "fwmark " hexnorm(mm[1]) "/" hexnorm(mm[2]); shown = "from all " (hexnorm(mm[2]) == "0xffffffff" ? "fwmark " hexnorm(mm[1]) : sel) }
    else if (f[5] == "iif") { if ((dev = resolve(n, f[6])) == "") return; sel = "iif " dev; shown = "from all iif " dev }
    else if (f[5] == "suppress-ifgroup") { sel = "from all"; shown = "from all"; extra = " suppress_ifgroup 224" }
    else { sel = "iif " f[6]; shown = "from all iif " f[6]; present = (fam " " f[4] ":\tfrom all iif " f[6] " [detached] lookup 254 proto " PROTO) in RULE }
    if ((fam " " f[4] ":\t" shown " lookup " tnum(table) extra " proto " PROTO) in RULE) present = 1
    if ((f[2] == "add" && !present) || (f[2] == "del" && present)) emit(fam, "rule " f[2] " pref " f[4] " " sel " lookup " table extra " proto " PROTO)
  } else if (f[1] == "sysctl") {
    if (f[3] != SVM) misc("SYSCTL " f[3])
  } else if (f[1] == "connmark") {
    misc("CONNMARK " f[2])
    for (i = 3; i <= nf; i++) {
      split(f[i], pair, "=")
      if ((dev = resolve(n, pair[1])) == "") return
      misc("CM " dev " " pair[1] " " pair[2])
    }
  }
}
# observe FAMILY: one listing line. Links come twice (the bridge listing, then all links): an index seen
# twice is a bridge. -N prints an Ethernet link type as "link/[1]".
function observe(fam,   name, i, p, brd, label, d, k) {
  if (fam == "4" && $0 ~ /^[0-9]+: [^ ]+: </) {
    k = $1
    if (k in SEEN) { BRIDGE[k] = 1; return }
    SEEN[k] = 1
    name = $2; sub(/:$/, "", name); sub(/@.*/, "", name); IFN[k] = name
    for (i = 3; i < NF && $i !~ /^link\//; i++) {
      if ($i == "master") MASTER[k] = 1
      else if ($i == "group") { LINKGROUP[name] = $(i + 1); own("G " name " " $(i + 1)) }
    }
    for (i = 3; i < NF; i++) if ($i == "link/ether" || $i == "link/[1]") { if (length($(i + 1)) == 17) LINKMAC[k] = $(i + 1); break }
    return
  }
  # In `ip -o addr` output the label is the word glued to the "\" that ends the address part.
  if (fam == "4" && $0 ~ /^[0-9]+: [^ ]+ +inet /) {
    brd = "-"; label = $2
    if ($5 == "brd") brd = $6
    for (i = 5; i <= NF; i++) if ($i ~ /\\$/) { label = substr($i, 1, length($i) - 1); break }
    own("A " $2 " " $4 " " brd " " label); ADDR[$2 " " $4] = label
    return
  }
  if ($0 ~ /^[0-9]+:\t/) {
    p = $1; sub(/:$/, "", p)
    if (p + 0 >= PWMIN && p + 0 <= PWMAX) { own("R " fam " " $0); RULE[fam " " $0] = 1 }
    return
  }
  sub(/ +$/, "")
  for (i = 1; i < NF; i++) if ($i == "table" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) + 0 >= TWMIN && $(i + 1) + 0 <= TWMAX) {
    own("T " fam " " $0); ROUTE[fam " " $0] = 1
    # a route type (unreachable, or 7 under -N) comes before the destination
    d = $1 ~ /^([0-9]+|unicast|local|broadcast|multicast|unreachable|prohibit|blackhole|throw|anycast)$/ ? $2 : $1
    if ($(i + 2) == "proto" && $(i + 3) == PROTO) OWNROUTE[fam " " $(i + 1) " " d] = 1
    break
  }
}
function block(arr, n,   i) { for (i = 1; i <= n; i++) print arr[i] }
$0 == "==plan" && !inplan { inplan = 1; next }
inplan { LINES[++nlines] = $0; next }
/^==/ { section = $0; next }
section == "==ip4" { observe("4"); next }
section == "==ip6" { observe("6"); next }
section == "==sysctl" { SVM = $1; next }
END {
  # translate validates first, in this run: no line is translated unless every line passed
  if (MODE == "validate" || MODE == "translate") {
    if (nlines == 0) refuse(1, "empty plan")
    else if (nlines > MAXLINES) refuse(0, "more than " MAXLINES " lines")
    else { header(LINES[1]); for (i = 2; i <= nlines && !refused; i++) lineok(i, LINES[i]) }
  }
  if (MODE == "validate") { print (refused ? REFUSAL : "OK"); exit }
  if (MODE == "owned") { block(STATE, nstate); exit }
  # /proc/net/dev: the exact names (they hold neither ":" nor spaces); ATNAME: what a name with "@" is cut to
  while ((getline name < "/proc/net/dev") > 0) if (name ~ /:/) { sub(/^ +/, "", name); sub(/:.*/, "", name); DEVNAME[name] = 1; if (name ~ /@/) { sub(/@.*/, "", name); ATNAME[name] = 1 } }
  for (k in LINKMAC) if (!(k in BRIDGE)) { mac = LINKMAC[k]; if (k in MASTER) ENSLAVED[mac] = 1; else if (mac in MACIF) MACIF[mac] = ""; else MACIF[mac] = k }
  if (MODE == "translate" && !refused) for (i = 2; i <= nlines && !refused; i++) translate(i, LINES[i])
  if (refused) misc(REFUSAL)
  printf "%9d %9d %9d %9d %9d %9d %9d\n", n4 + r4, n6, l4, lr4, l6, lstate, lmisc
  block(B4, n4); block(R4, r4); block(B6, n6); block(STATE, nstate); block(MISC, nmisc)
  # a last line: command substitution drops trailing newlines, which must not shorten a block
  print "=="
}'

# Undo: "==old"/"==new" owned states, "==batch" (link groups it set) → "A" lines (addresses first: they
# take their routes along), then "B4"/"B6" routes, rules. Listing-only flags dropped; numeric types named.
readonly RESTORE_AWK='
function rule_args(s,   n, f, i, out, t) {
  sub(/:\t/, " ", s); gsub(/ \[detached\]/, "", s)
  n = split(s, f, " "); out = "pref " f[1]
  for (i = 2; i <= n; i++) { t = f[i]; if (t ~ /^[0-9]+$/ && !(f[i - 1] in VALUED) && (t in ACTION)) t = ACTION[t]; out = out " " t }
  return out
}
function route_args(s,   n, f, i, out, t) {
  n = split(s, f, " "); out = ""
  for (i = 1; i <= n; i++) {
    if (f[i] in FLAG) continue
    t = f[i]; if (i == 1 && (t in RTN)) t = RTN[t]
    out = (out == "" ? "" : out " ") t
  }
  return out
}
function address(verb, s,   a, out) {
  split(s, a, " "); out = "A address " verb " " a[3]
  if (verb == "add" && a[4] != "-") out = out " brd " a[4]
  out = out " dev " a[2]
  if (verb == "add" && a[5] != a[2]) out = out " label " a[5]
  print out
}
BEGIN {
  split("unicast local broadcast anycast multicast blackhole unreachable prohibit throw nat", t, " ")
  for (i = 1; i <= 10; i++) RTN[i ""] = t[i]
  ACTION["6"] = "blackhole"; ACTION["7"] = "unreachable"; ACTION["8"] = "prohibit"
  n = split("pref priority lookup table proto tos dsfield realms goto suppress_prefixlength suppress_ifgroup ipproto sport dport iif oif", v, " ")
  for (i = 1; i <= n; i++) VALUED[v[i]] = 1
  n = split("linkdown dead offload trap offload_failed rt_offload rt_trap rt_offload_failed", g, " ")
  for (i = 1; i <= n; i++) FLAG[g[i]] = 1
}
$0 == "==old" { side = 1; next }
$0 == "==new" { side = 2; next }
$0 == "==batch" { side = 3; next }
$0 == "" { next }
side == 1 { OLD[$0] = 1; OL[++no] = $0; next }
side == 2 { NEW[$0] = 1; NL[++nn] = $0; next }
side == 3 { if ($0 ~ /^link set dev /) TOUCHED[$4] = 1; next }
END {
  # only a group the batch changed goes back: another tool may have moved another link meanwhile
  for (i = 1; i <= no; i++) if (OL[i] ~ /^G / && !(OL[i] in NEW)) { split(OL[i], a, " "); if (a[2] in TOUCHED) print "A link set dev " a[2] " group " a[3] }
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^A / && !(NL[i] in OLD)) address("del", NL[i])
  for (i = 1; i <= no; i++) if (OL[i] ~ /^A / && !(OL[i] in NEW)) address("add", OL[i])
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^T / && !(NL[i] in OLD)) print "B" substr(NL[i], 3, 1) " route del " route_args(substr(NL[i], 5))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^T / && !(OL[i] in NEW)) print "B" substr(OL[i], 3, 1) " route add " route_args(substr(OL[i], 5))
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^R / && !(NL[i] in OLD)) print "B" substr(NL[i], 3, 1) " rule del " rule_args(substr(NL[i], 5))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^R / && !(OL[i] in NEW)) print "B" substr(OL[i], 3, 1) " rule add " rule_args(substr(OL[i], 5))
}'

# The program's constants (awk is called directly: a function would fork once more).
readonly -a PLAN_AWK_VARS=(-v PROTO="$OWN_PROTO" -v MAXLINES="$PLAN_MAX_LINES" -v IFNAMEMAX="$IFNAME_MAX" -v LABEL="$LABEL_SUFFIX"
  -v TWMIN="$TABLE_WINDOW_MIN" -v TWMAX="$TABLE_WINDOW_MAX" -v PWMIN="$PREF_WINDOW_MIN" -v PWMAX="$PREF_WINDOW_MAX")

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

# decode_plan: TEXT = $SSM_Plan decoded; refuses non-base64, non-gzip and oversized input. (Assigned,
# not printed: no second command substitution.)
decode_plan() {
  local encoded=${SSM_Plan:-}
  TEXT=""
  [[ $encoded =~ ^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$ ]] || return 1
  TEXT=$(base64 -d <<<"$encoded" 2>/dev/null | gzip -dc 2>/dev/null | head -c $((PLAN_MAX_BYTES + 1))) || return 1
  ((${#TEXT} <= PLAN_MAX_BYTES)) || return 1
}

# ---- host state (read under the lock)

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
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  S_SVM=$SYSCTL_VALUE
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

# print_own_firewall: table inet eni_pbr (nft), or the own mangle chains and jumps (iptables). After
# applying, inspect_firewall's FW_OWN (the same text) stands in for it.
print_own_firewall() {
  case $FW_BACKEND in
    nft) nft list table inet eni_pbr 2>/dev/null || true ;;
    iptables) iptables-save -t mangle 2>/dev/null | awk -v MODE=own -v MAX=0 "$FIREWALL_AWK" || true ;;
    *) ;;
  esac
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

OWNED_TEXT=""
# owned_text: OWNED_TEXT = everything apply may touch, the text the before/after digests hash.
owned_text() {
  printf -v OWNED_TEXT 'owned\n%s\nfirewall %s\n%s\nsrc_valid_mark %s' "$S_OWNED" "$FW_BACKEND" "$S_FW" "$S_SVM"
}

DIGEST="" BEFORE_DIGEST=""
# after_digest BEFORE_TEXT: BEFORE_DIGEST, and DIGEST of owned_text read again (S_FW given).
after_digest() {
  local rest
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  { read -r BEFORE_DIGEST rest && read -r DIGEST rest; } < <({
    printf 'owned\n'
    list_kernel | awk "${PLAN_AWK_VARS[@]}" -v MODE=owned "$PLAN_AWK"
    printf '\nfirewall %s\n%s\nsrc_valid_mark %s\n' "$FW_BACKEND" "$S_FW" "$SYSCTL_VALUE"
  } | sha256sum /dev/fd/3 - 3<<<"$1")
}

# ---- connmark: nft table or iptables chains

CM_MASK="" CM_ENTRIES=() # "<ifname> <mac> <mark>", resolved by the plan program

# hex_value TEXT: HEX_VALUE = TEXT, 0x + 1-8 lower-case hex digits, as a number. Plan text never enters
# $(( )): bash evaluates it as an expression, array subscripts and $(...) in them included.
HEX_VALUE=0
hex_value() {
  [[ $1 =~ ^0x[0-9a-f]{1,8}$ ]] || refuse 0 "connmark: not a mark or mask: $1" || return 1
  HEX_VALUE=$((16#${1#0x}))
}

# connmark_values: CM_MASK_VALUE = CM_MASK as a number, CM_VALUES = CM_ENTRIES with each mark as a
# number (refused at the first mask or mark that hex_value refuses), for either renderer.
CM_MASK_VALUE=0 CM_VALUES=()
connmark_values() {
  local entry ifname mac mark
  hex_value "$CM_MASK" || return 1
  CM_MASK_VALUE=$HEX_VALUE CM_VALUES=()
  for entry in ${CM_ENTRIES[@]+"${CM_ENTRIES[@]}"}; do # bash < 4.4: an empty array is "unbound" under set -u
    read -r ifname mac mark <<<"$entry"
    hex_value "$mark" || return 1
    CM_VALUES+=("$ifname $mac $HEX_VALUE")
  done
}

# render_nft: FW_WANT = table inet eni_pbr as nftables 1.0.6 lists it (an unchanged set is not reloaded).
FW_WANT=""
render_nft() {
  local mask entry ifname mac mark keep line ins="" restores=""
  connmark_values || return 1
  mask=$CM_MASK_VALUE
  for entry in ${CM_VALUES[@]+"${CM_VALUES[@]}"}; do # bash < 4.4: an empty array is "unbound" under set -u
    read -r ifname mac mark <<<"$entry"
    keep=$(((~mask | mark) & 0xffffffff))
    printf -v line '\t\tiifname "%s" ct state new ct mark set ct mark & 0x%08x | 0x%08x comment "eni-pbr in %s 0x%x/0x%x"\n' \
      "$ifname" "$keep" "$mark" "$mac" "$mark" "$mask"
    ins+=$line
    printf -v line '\t\tct mark & 0x%08x == 0x%08x meta mark set meta mark & 0x%08x | 0x%08x comment "eni-pbr restore 0x%x/0x%x"\n' \
      "$mask" "$mark" "$keep" "$mark" "$mark" "$mask"
    restores+=$line
  done
  printf -v FW_WANT 'table inet eni_pbr {\n\tchain prerouting {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n%s%s\t}\n\n\tchain output {\n\t\ttype route hook output priority mangle; policy accept;\n%s\t}\n}' \
    "$ins" "$restores" "$restores"
}

# render_iptables: FW_WANT = the own mangle lines as iptables-save prints them. --set-xmark V/M clears
# M and sets V, the nft table's "and ~M or V". IPv4 only, like eni-pbr's fwmark rules.
render_iptables() {
  local mask entry ifname mac mark ins="" out_rules="" pre_rules="" restore line
  connmark_values || return 1
  mask=$CM_MASK_VALUE
  for entry in ${CM_VALUES[@]+"${CM_VALUES[@]}"}; do # bash < 4.4: an empty array is "unbound" under set -u
    read -r ifname mac mark <<<"$entry"
    printf -v line -- '-A %s -i %s -m conntrack --ctstate NEW -m comment --comment "eni-pbr in %s 0x%x/0x%x" -j CONNMARK --set-xmark 0x%x/0x%x\n' \
      "$IPT_PRE" "$ifname" "$mac" "$mark" "$mask" "$mark" "$mask"
    ins+=$line
    printf -v restore -- '-m connmark --mark 0x%x/0x%x -m comment --comment "eni-pbr restore 0x%x/0x%x" -j MARK --set-xmark 0x%x/0x%x\n' \
      "$mark" "$mask" "$mark" "$mask" "$mark" "$mask"
    out_rules+="-A $IPT_OUT $restore"
    pre_rules+="-A $IPT_PRE $restore"
  done
  printf -v FW_WANT ':%s - [0:0]\n:%s - [0:0]\n-A PREROUTING -j %s\n-A OUTPUT -j %s\n%s%s%s' \
    "$IPT_OUT" "$IPT_PRE" "$IPT_PRE" "$IPT_OUT" "$out_rules" "$ins" "$pre_rules"
  FW_WANT=${FW_WANT%$'\n'}
}

# iptables_script WANT NOW: FW_SCRIPT = one iptables-restore --noflush transaction from NOW to WANT,
# naming eni-pbr's chains and jumps only (declaring a chain creates or flushes it).
iptables_script() {
  local chain decl jump line i script=$'*mangle\n' rules=""
  local -A count=()
  while IFS= read -r line; do [[ -z $line ]] || count[now $line]=$((${count[now $line]:-0} + 1)); done <<<"$2"
  while IFS= read -r line; do [[ -z $line ]] || count[want $line]=$((${count[want $line]:-0} + 1)); done <<<"$1"
  while IFS= read -r line; do [[ $line != "-A ENI_PBR_"* ]] || rules+=$line$'\n'; done <<<"$1"
  for chain in "$IPT_OUT" "$IPT_PRE"; do
    decl=":$chain - [0:0]"
    [[ -z ${count[want $decl]:-}${count[now $decl]:-} ]] || script+=$decl$'\n'
  done
  script+=$rules
  for jump in "-A PREROUTING -j $IPT_PRE" "-A OUTPUT -j $IPT_OUT"; do
    ((${count[want $jump]:-0} == 0 || ${count[now $jump]:-0} > 0)) || script+=$jump$'\n'
    for ((i = ${count[want $jump]:-0}; i < ${count[now $jump]:-0}; i++)); do script+="-D ${jump#-A }"$'\n'; done
  done
  for chain in "$IPT_OUT" "$IPT_PRE"; do
    decl=":$chain - [0:0]"
    [[ -n ${count[want $decl]:-} || -z ${count[now $decl]:-} ]] || script+="-X $chain"$'\n'
  done
  FW_SCRIPT="${script}COMMIT"
}

FW_SCRIPT="" FW_DELETE=false

# translate_connmark: the firewall work for CM_MASK/CM_ENTRIES against S_FW, in FW_SCRIPT/FW_DELETE.
translate_connmark() {
  if [[ $FW_BACKEND == none ]]; then
    REFUSAL_CODE=$EXIT_TOOL
    refuse 0 "connmark needs nft or iptables-restore; neither is installed"
    return 1
  fi
  FW_WANT=""
  if ((${#CM_ENTRIES[@]} > 0)); then
    if [[ $FW_BACKEND == nft ]]; then render_nft || return 1; else render_iptables || return 1; fi
  fi
  [[ $FW_WANT != "$S_FW" ]] || return 0
  if [[ $FW_BACKEND == iptables ]]; then
    iptables_wait
    iptables_script "$FW_WANT" "$S_FW"
  elif [[ -n $FW_WANT ]]; then FW_SCRIPT=$FW_WANT; else FW_DELETE=true; fi
}

SYSCTL_TARGET=""
# translate_plan TEXT [LISTING_FD FIREWALL_FD]: the plan + the host state → queued work; refuses on a
# MAC no link carries.
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

PENDING=0
count_pending() {
  PENDING=$((N4 + N6))
  [[ -z $SYSCTL_TARGET ]] || PENDING=$((PENDING + 1))
  [[ -z $FW_SCRIPT && $FW_DELETE == false ]] || PENDING=$((PENDING + 1))
}

# ---- apply and restore

ERROR_TEXT="" INTERRUPTED=""

# run_batch FAMILY TEXT: one ip process for all lines; stops at the first failing line.
run_batch() {
  [[ -n $2 ]] || return 0
  feed "ip -$1 -batch" "$2" ip "-$1" -batch -
}

# feed LABEL TEXT COMMAND...: COMMAND (constant words) with TEXT on stdin; ERROR_TEXT on failure.
feed() {
  local label=$1 text=$2 out
  shift 2
  out=$("$@" 2>&1 <<<"$text") && return 0
  ERROR_TEXT="$label: ${out//$'\n'/; }"
  ERROR_TEXT=${ERROR_TEXT:0:ERROR_MAX} # a failing batch can print a line per command
  return 1
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
  feed nft $'table inet eni_pbr\ndelete table inet eni_pbr\n'"$1" nft -f -
}

delete_nft_table() {
  feed nft $'table inet eni_pbr\ndelete table inet eni_pbr' nft -f -
}

# iptables_wait: IPT_WAIT = (-w 5) where iptables-restore has -w (1.6.2 and later; older ones refuse
# it), else (). Probed once, in the main shell, before anything changes.
IPT_WAIT=() IPT_WAIT_PROBED=false
iptables_wait() {
  local version
  [[ $IPT_WAIT_PROBED == false ]] || return 0
  IPT_WAIT_PROBED=true
  version=$(iptables-restore --version 2>&1) || version=""
  [[ $version =~ v([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3}) ]] || return 0
  ((10#${BASH_REMATCH[1]} * 10000 + 10#${BASH_REMATCH[2]} * 100 + 10#${BASH_REMATCH[3]} < 10602)) || IPT_WAIT=(-w 5)
}

# iptables-restore commits a table in one transaction; --noflush leaves every other chain alone, and
# -w waits for the xtables lock another tool may hold.
restore_iptables() {
  feed iptables-restore "$1" iptables-restore ${IPT_WAIT[@]+"${IPT_WAIT[@]}"} --noflush
}

apply_firewall() {
  if [[ $FW_BACKEND == iptables ]]; then
    [[ -z $FW_SCRIPT ]] || restore_iptables "$FW_SCRIPT" || return 1
    return 0
  fi
  [[ -z $FW_SCRIPT ]] || replace_nft_table "$FW_SCRIPT" || return 1
  [[ $FW_DELETE == false ]] || delete_nft_table || return 1
}

# report_firewall: apply_firewall, then "ok <length>", the after-inspect's firewall member and the
# after digest's firewall text, or the error.
report_firewall() {
  if ! apply_firewall; then
    printf '%s' "$ERROR_TEXT"
    return 0
  fi
  inspect_firewall
  printf 'ok %d\n%s%s' "${#FW_JSON}" "$FW_JSON" "$FW_OWN"
}

# apply_queued: the ip batches and the sysctl; the firewall and the IPv4 rules (needing no address or
# route) alongside; all end before the outcome is known. (Addresses and onlink routes: one batch.)
AFTER_S_FW="" # the own firewall text after applying, for the after digest
apply_queued() {
  local fw_fd fw_result rule_fd status=0 length
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
  if [[ $fw_result =~ ^ok\ ([0-9]+)$'\n' ]]; then
    length=${BASH_REMATCH[1]}
    fw_result=${fw_result#*$'\n'}
    AFTER_FW_JSON=${fw_result:0:length}
    AFTER_S_FW=${fw_result:length}
  else
    [[ $status == 1 ]] || ERROR_TEXT=${fw_result:-"the firewall transaction did not report"}
    status=1
  fi
  return "$status"
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

# restore_snapshot: puts back exactly what the snapshot (S_OWNED, S_FW, S_SVM) held, touching only what
# differs.
restore_snapshot() {
  local owned=$S_OWNED fw=$S_FW svm=$S_SVM batch=$B4 line out ok=0
  local -a addr_fix=() undo4=() undo6=()
  S_FW=$(print_own_firewall)
  if [[ $S_FW != "$fw" ]]; then
    if [[ $FW_BACKEND == iptables ]]; then
      iptables_wait
      iptables_script "$fw" "$S_FW"
      restore_iptables "$FW_SCRIPT" || ok=1
    elif [[ -z $fw ]]; then
      delete_nft_table || ok=1
    else
      replace_nft_table "$fw" || ok=1
    fi
  fi
  read_sysctl /proc/sys/net/ipv4/conf/all/src_valid_mark
  [[ $SYSCTL_VALUE == "$svm" ]] || write_src_valid_mark "$svm" || ok=1
  observe observe || ok=1
  out=$(printf '==old\n%s\n==new\n%s\n==batch\n%s\n' "$owned" "$S_OWNED" "$batch" | awk "$RESTORE_AWK") || ok=1
  while IFS= read -r line; do
    case $line in "A "*) addr_fix+=("${line#A }") ;; "B4 "*) undo4+=("${line#B4 }") ;; "B6 "*) undo6+=("${line#B6 }") ;; *) ;; esac
  done <<<"$out"
  run_restore_batch 4 ${addr_fix[@]+"${addr_fix[@]}"} || ok=1
  run_restore_batch 4 ${undo4[@]+"${undo4[@]}"} || ok=1
  run_restore_batch 6 ${undo6[@]+"${undo6[@]}"} || ok=1
  S_OWNED=$owned S_FW=$fw S_SVM=$svm
  return "$ok"
}

# ---- lock

LOCK_FD=""
open_lock() {
  local dir=/run/eni-pbr netns_id
  # one lock per network namespace: applies in one namespace serialise, lab namespaces do not
  netns_id=$(stat -L -c %i /proc/self/ns/net 2>/dev/null || printf 'default')
  [[ -d $dir ]] || mkdir -m 0700 "$dir" 2>/dev/null || [[ -d $dir ]] || die "$EXIT_TOOL" "cannot create $dir"
  exec {LOCK_FD}>"$dir/lock-$netns_id" || die "$EXIT_TOOL" "cannot open $dir/lock-$netns_id"
}

# ---- apply command

# print_apply_result STATUS OPERATIONS BEFORE AFTER ERROR [AFTER_FD]: the result and the inspect document
# (read from AFTER_FD when it yields one). Past OUTPUT_MAX the document gives way to "afterTooLarge".
print_apply_result() {
  local error=null head after=""
  if [[ -n $5 ]]; then
    json_string "${5:0:ERROR_MAX}"
    error=$JSON_OUT
  fi
  printf -v head '{"schemaVersion":%d,"mode":"apply","result":{"status":"%s","operations":%d,"before":"%s","after":"%s","error":%s},"after":' \
    "$SCHEMA_VERSION" "$1" "$2" "$3" "$4" "$error"
  [[ -z ${6:-} ]] || after=$(<"/dev/fd/$6")
  [[ -n $after || $1 == refused ]] || after=$(print_inspect) || after=""
  if ((${#head} + ${#after} + 6 > OUTPUT_MAX)); then
    log "the after-inspect takes ${#after} characters; stdout keeps $OUTPUT_MAX"
    printf '%snull,"afterTooLarge":{"chars":%d,"limit":%d}}\n' "$head" "${#after}" "$OUTPUT_MAX"
    return 0
  fi
  printf '%s%s}\n' "$head" "${after:-null}"
}

refuse_plan() {
  local code=$1
  firewall_backend
  S_FW=$(print_own_firewall)
  after_digest ""
  log "plan refused: $REFUSAL"
  print_apply_result refused 0 "$DIGEST" "$DIGEST" "$REFUSAL"
  exit "$code"
}

TEXT=""
# decode_or_refuse: TEXT = the decoded plan, or the refusal.
decode_or_refuse() {
  decode_plan && return 0
  REFUSAL="line 0: Plan is not base64 of a gzip stream of at most $PLAN_MAX_BYTES bytes"
  refuse_plan "$EXIT_REFUSED"
}

cmd_apply() {
  local before_text operations inspect_fd rest digested translated=true list_fd fw_fd
  [[ -n ${SSM_Plan:-} ]] || die "$EXIT_USAGE" "apply needs the Plan parameter (SSM_Plan)"
  firewall_backend
  open_lock
  require_ip
  if flock -n "$LOCK_FD"; then
    # free: the kernel is read while the plan is decoded; the plan program validates every line
    # before it translates one, and bash reads its verdict before anything else it printed
    exec {list_fd}< <(list_kernel) {fw_fd}< <(print_own_firewall)
    decode_or_refuse
    translate_plan "$TEXT" "$list_fd" "$fw_fd" || translated=false
  else
    # a busy lock: a refused plan must not wait for it
    decode_or_refuse
    validate_plan "$TEXT" || refuse_plan "$EXIT_REFUSED"
    flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" || {
      REFUSAL="lock not acquired within ${LOCK_WAIT_SECONDS}s"
      refuse_plan "$EXIT_LOCK"
    }
    translate_plan "$TEXT" || translated=false
  fi
  [[ $translated == true ]] || refuse_plan "$REFUSAL_CODE"
  owned_text
  before_text=$OWNED_TEXT
  count_pending
  operations=$PENDING
  if ((operations == 0)); then
    read -r DIGEST rest < <(sha256sum <<<"$before_text")
    print_apply_result unchanged 0 "$DIGEST" "$DIGEST" ""
    return 0
  fi
  # SIGTERM/INT/HUP (an SSM cancel or timeout) while the kernel changes: noted (bash runs a trap after
  # the command in flight), then the snapshot is restored with them ignored and the result says so.
  # SIGKILL leaves what the batch did (the lock dies with the process; the next run re-plans).
  trap 'INTERRUPTED=SIGTERM' TERM
  trap 'INTERRUPTED=SIGINT' INT
  trap 'INTERRUPTED=SIGHUP' HUP
  if apply_queued && [[ -z $INTERRUPTED ]]; then
    trap '' TERM INT HUP # applied: the result (a few ms more) is printed whatever comes now
    # the after-inspect alongside the after digest (reads only); the core verifies by re-planning the
    # after-inspect (functions/use-cases/remediate-instance.ts)
    exec {inspect_fd}< <(print_inspect)
    S_FW=$AFTER_S_FW
    after_digest "$before_text"
    elapsed_ms
    digested=$ELAPSED
    print_apply_result applied "$operations" "$BEFORE_DIGEST" "$DIGEST" "" "$inspect_fd"
    exec {inspect_fd}<&-
    elapsed_ms
    log "applied $operations operations${STARTED:+ (ms since start: after digest$digested, after-inspect printed$ELAPSED)}"
    return 0
  fi
  trap '' TERM INT HUP
  [[ -z $INTERRUPTED ]] || ERROR_TEXT="interrupted by $INTERRUPTED while applying${ERROR_TEXT:+; $ERROR_TEXT}"
  log "apply failed, restoring: $ERROR_TEXT"
  AFTER_FW_JSON=""
  # the digest decides: a restore line may fail for something already gone (deleting a primary
  # address takes its secondaries along) while the state is back exactly
  restore_snapshot || log "restore: some lines failed; comparing the state with the snapshot"
  S_FW=$(print_own_firewall)
  after_digest "$before_text"
  if [[ $DIGEST == "$BEFORE_DIGEST" ]]; then
    print_apply_result rolled-back "$operations" "$BEFORE_DIGEST" "$DIGEST" "$ERROR_TEXT"
    exit "$EXIT_ROLLED_BACK"
  fi
  print_apply_result rollback-failed "$operations" "$BEFORE_DIGEST" "$DIGEST" "$ERROR_TEXT; restore incomplete"
  exit "$EXIT_ROLLBACK_FAILED"
}

# ---- dispatcher

main() {
  local mode=${1:-${SSM_Mode:-}}
  case $mode in
    inspect)
      require_tools
      require_ip
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
