# shellcheck shell=bash
# The firewall side of the agent: which backend marks connections (nft, else iptables' mangle table),
# its inspect member, the own state in the snapshot, and the transactions that change it.

FIREWALL_AWK=$(<"$AGENT_DIR/awk/firewall.awk")
readonly FIREWALL_AWK

# firewall_backend: FW_BACKEND = nft where nft exists, else iptables (iptables-save/-restore), else
# none. Chosen by `command -v nft` alone: tests hide nft with a PATH that lacks it.
FW_BACKEND=none
firewall_backend() {
  FW_BACKEND=none
  if command -v nft >/dev/null 2>&1; then
    FW_BACKEND=nft
  elif command -v iptables-save >/dev/null 2>&1 && command -v iptables-restore >/dev/null 2>&1; then
    FW_BACKEND=iptables
  fi
}

# legacy_listing: "==legacy" and the legacy iptables tables' listing, where this namespace has legacy
# tables the backend's listing cannot show: nft lists nf_tables only, and so does an nft-based
# iptables-save. Their mark and NAT lines are evidence for the planner (Docker or kube-proxy on legacy
# iptables). Read only when /proc lists a legacy table: listing one creates it.
legacy_listing() {
  local names="" version=""
  read -r names </proc/net/ip_tables_names 2>/dev/null || true
  [[ -n $names ]] || return 0
  version=$(iptables-save --version 2>/dev/null) || version=""
  # the iptables backend's own listing came from a legacy iptables-save: nothing is hidden
  [[ $FW_BACKEND == nft || $version == *nf_tables* ]] || return 0
  if command -v iptables-legacy-save >/dev/null 2>&1; then
    printf '==legacy\n'
    iptables-legacy-save 2>/dev/null || true
  elif [[ -n $version && $version != *nf_tables* ]]; then
    printf '==legacy\n'
    iptables-save 2>/dev/null || true
  fi
}

# inspect_firewall member|both: prints the inspect document's firewall member on one line; with "both",
# then a newline and what print_own_firewall prints, cut from the same listing.
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
  [[ $FW_BACKEND != none ]] || out=$(awk -v MODE=inspect -v OWN=0 -v IPT=0 -v MAX=0 "$FIREWALL_AWK" </dev/null)
  # the first line by substitution: ${out%%$'\n'*} is quadratic in bash, read byte by byte from a pipe
  first=${out/$'\n'*/}
  if [[ $FW_BACKEND == nft && ${first:0:1} == 1 ]]; then
    own=$(<"/dev/fd/$own_fd")
    [[ -n $own ]] || own=null
  fi
  printf '{"backend":"%s","ownTable":%s,%s}' "$FW_BACKEND" "$own" "${first:1}"
  [[ $1 == member ]] || printf '\n%s' "${out:${#first}+1}"
}

# print_own_firewall: table inet eni_pbr (nft), or the own mangle chains and jumps (iptables). After
# applying, inspect_firewall's second part (the same text) stands in for it.
print_own_firewall() {
  case $FW_BACKEND in
    nft) nft list table inet eni_pbr 2>/dev/null || true ;;
    iptables) iptables-save -t mangle 2>/dev/null | awk -v MODE=own -v OWN=0 -v IPT=0 -v MAX=0 "$FIREWALL_AWK" || true ;;
    *) ;;
  esac
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

# apply_firewall: the transaction translate_connmark queued (FW_SCRIPT, FW_DELETE).
apply_firewall() {
  if [[ $FW_BACKEND == iptables ]]; then
    [[ -z $FW_SCRIPT ]] || restore_iptables "$FW_SCRIPT" || return 1
    return 0
  fi
  [[ -z $FW_SCRIPT ]] || replace_nft_table "$FW_SCRIPT" || return 1
  [[ $FW_DELETE == false ]] || delete_nft_table || return 1
}

# report_firewall: apply_firewall, then "ok", a newline and what inspect_firewall both prints (the
# after-inspect's firewall member and the after digest's firewall text); or the error.
report_firewall() {
  if ! apply_firewall; then
    printf '%s' "$ERROR_TEXT"
    return 0
  fi
  printf 'ok\n'
  inspect_firewall both
}
