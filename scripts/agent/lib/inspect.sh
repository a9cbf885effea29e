# shellcheck shell=bash
# agent inspect: the host's routing state as one JSON document (docs/agent-protocol.md, Inspect),
# made of verbatim ip -j / nft -j listings so that no JSON tool is needed on the instance.

INSPECT_DOCUMENT_AWK=$(<"$AGENT_DIR/awk/inspect-document.awk")
readonly INSPECT_DOCUMENT_AWK

# read_sysctl NAME PATH: sets NAME to the first line of PATH, "" when unreadable (no fork).
read_sysctl() {
  local first_line=""
  if [[ -r $2 ]]; then read -r first_line <"$2" || true; fi
  printf -v "$1" '%s' "$first_line"
}

# inspect_sysctl NAME: sets NAME to the document's sysctl member.
inspect_sysctl() {
  local dir name value json_name rp="" sep="" forward svm
  for dir in /proc/sys/net/ipv4/conf/*/; do
    name=${dir%/}
    name=${name##*/}
    read_sysctl value "$dir/rp_filter"
    json_string value "$value"
    json_string json_name "$name" # the kernel allows a quote or a backslash in a name (dev_valid_name)
    rp+="$sep$json_name:$value"
    sep=","
  done
  read_sysctl forward /proc/sys/net/ipv4/ip_forward
  json_string forward "$forward"
  read_sysctl svm /proc/sys/net/ipv4/conf/all/src_valid_mark
  json_string svm "$svm"
  printf -v "$1" '{"ipForward":%s,"srcValidMark":%s,"rpFilter":{%s}}' "$forward" "$svm" "$rp"
}

# any_exists PATH...: succeeds when any PATH exists.
any_exists() {
  local path
  for path in "$@"; do
    [[ ! -e $path ]] || return 0
  done
  return 1
}

# inspect_managers: prints the document's managers member on one line.
inspect_managers() {
  local netplan=false file cloud_init=false ec2=false nm_cloud=false vpc_cni=false nm=false networkd=false comms
  for file in /etc/netplan/*.yaml; do
    if [[ -e $file ]]; then netplan=true; fi
  done
  ! any_exists /etc/udev/rules.d/90-cloud-init-hook-hotplug.rules /usr/bin/cloud-init || cloud_init=true
  ! any_exists /usr/lib/systemd/system/refresh-policy-routes@.service /usr/share/amazon-ec2-net-utils || ec2=true
  ! any_exists /usr/libexec/nm-cloud-setup /usr/lib/NetworkManager/nm-cloud-setup /usr/lib/systemd/system/nm-cloud-setup.service || nm_cloud=true
  ! any_exists /opt/cni/bin/aws-cni /var/run/aws-node || vpc_cni=true
  # one cat, captured whole (no pgrep on minimal images; read/mapfile take a pipe byte by byte)
  comms=$'\n'$(cat /proc/[0-9]*/comm 2>/dev/null || true)$'\n'
  [[ $comms != *$'\nNetworkManager\n'* ]] || nm=true
  [[ $comms != *$'\nsystemd-network\n'* ]] || networkd=true # comm is cut at 15 characters
  printf '{"cloudInitHotplug":%s,"netplan":%s,"ec2NetUtils":%s,"nmCloudSetup":%s,"networkManager":%s,"systemdNetworkd":%s,"vpcCni":%s}\n' \
    "$cloud_init" "$netplan" "$ec2" "$nm_cloud" "$nm" "$networkd" "$vpc_cni"
}

# start_managers: inspect_managers in the background (once), MANAGERS_FD to read its one line from.
MANAGERS_FD=""
start_managers() {
  [[ -n $MANAGERS_FD ]] || exec {MANAGERS_FD}< <(inspect_managers)
}

# os_release NAME: sets NAME to "<ID> <VERSION_ID>" from /etc/os-release as a JSON string (read, never
# sourced).
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
  json_string "$1" "$id $version"
}

# ip_batches: the three batches inspect-document.awk reads, read from the kernel at once and printed in
# order.
ip_batches() {
  local v4 v6
  exec {v4}< <(ip -4 -j -force -batch - 2>/dev/null <<<$'rule show\nroute show table all' || true) \
    {v6}< <(ip -6 -j -force -batch - 2>/dev/null <<<$'rule show\nroute show table all' || true)
  ip -j -force -batch - 2>/dev/null <<<$'address show\nlink show\nlink show type bridge' || true
  printf '==\n'
  cat "/dev/fd/$v4" - "/dev/fd/$v6" <<<'=='
  exec {v4}<&- {v6}<&-
}

# print_inspect [after]: the inspect document (or its envelope) on stdout, no newline. AFTER_FW_JSON:
# the firewall member, when apply has read it already. "after" (apply's after-inspect): the state
# member's digest is the after digest, printed first on a line of its own (apply reads it there instead
# of reading the kernel once more), and S_FW holds the own firewall.
AFTER_FW_JSON=""
print_inspect() {
  local host kernel os prefix fw_fd="" firewall=$AFTER_FW_JSON sysctl managers state_fd state digest_first=0 given=""
  read_sysctl host /proc/sys/kernel/hostname # what uname -n prints, without a fork
  json_string host "$host"
  read_sysctl kernel /proc/sys/kernel/osrelease
  json_string kernel "$kernel"
  os_release os
  # the firewall member (two nft runs) is read alongside the ip listings, unless apply has it already
  [[ -n $firewall ]] || exec {fw_fd}< <(inspect_firewall member)
  start_managers
  [[ ${1:-} != after ]] || digest_first=1 given=given
  exec {state_fd}< <(print_state_member $given)
  inspect_sysctl sysctl
  printf -v prefix '{"schemaVersion":%d,"agentVersion":"%s","host":{"hostname":%s,"kernel":%s,"osRelease":%s},' \
    "$SCHEMA_VERSION" "$AGENT_VERSION" "$host" "$kernel" "$os"
  {
    printf '%s\n' "$prefix"
    ip_batches
    [[ -z $fw_fd ]] || firewall=$(<"/dev/fd/$fw_fd")
    read -r managers <&"$MANAGERS_FD" || managers=$(inspect_managers)
    state=$(<"/dev/fd/$state_fd")
    exec {state_fd}<&-
    printf '==suffix\n,"firewall":%s,"sysctl":%s,"state":%s,"managers":%s}\n' "$firewall" "$sysctl" "$state" "$managers"
  } | awk -v THRESHOLD="$ENVELOPE_THRESHOLD" -v FASTMAX="$DOCUMENT_FAST_MAX" -v SV="$SCHEMA_VERSION" -v DIGEST="$digest_first" "$INSPECT_DOCUMENT_AWK" && return 0
  local status=$?
  # 3 is the program's own verdict; anything else is awk failing (its message is on stderr already)
  if ((status == 3)); then
    log "this iproute2 prints ip -j -batch listings otherwise than one line per command"
  else
    log "awk failed assembling the inspect document (exit $status)"
  fi
  return 1
}

cmd_inspect() {
  local doc
  journal_recover_if_any # an apply SSM killed is undone first, and reported in state.recovered
  doc=$(print_inspect) || exit "$EXIT_TOOL"
  print_bounded "$doc"
}
