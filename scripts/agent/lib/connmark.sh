# shellcheck shell=bash
# connmark: the whole marking set a plan's connmark line asks for, rendered as the nft table or the
# iptables chains it must become (docs/agent-protocol.md, Plan), and the transaction from now to that.

CM_MASK="" CM_ENTRIES=() # "<ifname> <mac> <mark>", resolved by the plan program

# hex_value NAME TEXT: sets NAME to TEXT, 0x + 1-8 lower-case hex digits, as a number. Plan text never
# enters $(( )): bash evaluates it as an expression, array subscripts and $(...) in them included.
hex_value() {
  [[ $2 =~ ^0x[0-9a-f]{1,8}$ ]] || refuse 0 "connmark: not a mark or mask: $2" || return 1
  printf -v "$1" '%d' "$((16#${2#0x}))"
}

# connmark_values: CM_MASK_VALUE = CM_MASK as a number, CM_VALUES = CM_ENTRIES with each mark as a
# number (refused at the first mask or mark that hex_value refuses), for either renderer.
CM_MASK_VALUE=0 CM_VALUES=()
connmark_values() {
  local entry ifname mac mark value
  hex_value CM_MASK_VALUE "$CM_MASK" || return 1
  CM_VALUES=()
  for entry in "${CM_ENTRIES[@]}"; do
    read -r ifname mac mark <<<"$entry"
    hex_value value "$mark" || return 1
    CM_VALUES+=("$ifname $mac $value")
  done
}

# render_nft NAME: sets NAME to table inet eni_pbr as nftables 1.0.6 lists it (an unchanged set is not
# reloaded).
render_nft() {
  local mask entry ifname mac mark keep line ins="" restores=""
  connmark_values || return 1
  mask=$CM_MASK_VALUE
  for entry in "${CM_VALUES[@]}"; do
    read -r ifname mac mark <<<"$entry"
    keep=$(((~mask | mark) & 0xffffffff))
    printf -v line '\t\tiifname "%s" ct state new ct mark set ct mark & 0x%08x | 0x%08x comment "eni-pbr in %s 0x%x/0x%x"\n' \
      "$ifname" "$keep" "$mark" "$mac" "$mark" "$mask"
    ins+=$line
    printf -v line '\t\tct mark & 0x%08x == 0x%08x meta mark set meta mark & 0x%08x | 0x%08x comment "eni-pbr restore 0x%x/0x%x"\n' \
      "$mask" "$mark" "$keep" "$mark" "$mark" "$mask"
    restores+=$line
  done
  printf -v "$1" 'table inet eni_pbr {\n\tchain prerouting {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n%s%s\t}\n\n\tchain output {\n\t\ttype route hook output priority mangle; policy accept;\n%s\t}\n}' \
    "$ins" "$restores" "$restores"
}

# render_iptables NAME: sets NAME to the own mangle lines as iptables-save prints them. --set-xmark V/M
# clears M and sets V, the nft table's "and ~M or V". IPv4 only, like eni-pbr's fwmark rules.
render_iptables() {
  local mask entry ifname mac mark ins="" out_rules="" pre_rules="" restore line rendered
  connmark_values || return 1
  mask=$CM_MASK_VALUE
  for entry in "${CM_VALUES[@]}"; do
    read -r ifname mac mark <<<"$entry"
    printf -v line -- '-A %s -i %s -m conntrack --ctstate NEW -m comment --comment "eni-pbr in %s 0x%x/0x%x" -j CONNMARK --set-xmark 0x%x/0x%x\n' \
      "$IPT_PRE" "$ifname" "$mac" "$mark" "$mask" "$mark" "$mask"
    ins+=$line
    printf -v restore -- '-m connmark --mark 0x%x/0x%x -m comment --comment "eni-pbr restore 0x%x/0x%x" -j MARK --set-xmark 0x%x/0x%x\n' \
      "$mark" "$mask" "$mark" "$mask" "$mark" "$mask"
    out_rules+="-A $IPT_OUT $restore"
    pre_rules+="-A $IPT_PRE $restore"
  done
  printf -v rendered ':%s - [0:0]\n:%s - [0:0]\n-A PREROUTING -j %s\n-A OUTPUT -j %s\n%s%s%s' \
    "$IPT_OUT" "$IPT_PRE" "$IPT_PRE" "$IPT_OUT" "$out_rules" "$ins" "$pre_rules"
  printf -v "$1" '%s' "${rendered%$'\n'}"
}

# iptables_script NAME WANT NOW: sets NAME to one iptables-restore --noflush transaction from NOW to WANT,
# naming eni-pbr's chains and jumps only (declaring a chain creates or flushes it).
iptables_script() {
  local target=$1 want=$2 current=$3 chain decl jump line i script=$'*mangle\n' rules=""
  local -A count=()
  while IFS= read -r line; do [[ -z $line ]] || count[now $line]=$((${count[now $line]:-0} + 1)); done <<<"$current"
  while IFS= read -r line; do [[ -z $line ]] || count[want $line]=$((${count[want $line]:-0} + 1)); done <<<"$want"
  while IFS= read -r line; do [[ $line != "-A ENI_PBR_"* ]] || rules+=$line$'\n'; done <<<"$want"
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
  printf -v "$target" '%sCOMMIT' "$script"
}


FW_SCRIPT="" FW_DELETE=false

# translate_connmark: the firewall work for CM_MASK/CM_ENTRIES against S_FW, in FW_SCRIPT/FW_DELETE.
translate_connmark() {
  local want=""
  if [[ $FW_BACKEND == none ]]; then
    REFUSAL_CODE=$EXIT_TOOL
    refuse 0 "connmark needs nft or iptables-restore; neither is installed"
    return 1
  fi
  if ((${#CM_ENTRIES[@]} > 0)); then
    if [[ $FW_BACKEND == nft ]]; then render_nft want || return 1; else render_iptables want || return 1; fi
  fi
  [[ $want != "$S_FW" ]] || return 0
  if [[ $FW_BACKEND == iptables ]]; then
    iptables_wait
    iptables_script FW_SCRIPT "$want" "$S_FW"
  elif [[ -n $want ]]; then FW_SCRIPT=$want; else FW_DELETE=true; fi
}
