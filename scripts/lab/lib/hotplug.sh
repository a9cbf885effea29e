#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# ENIs that come and go, for the service lab (`npm run lab -- --service`): `up --boot-enis N` boots the
# instance with its first N ENIs; the others exist in EC2 (available) with their instance end parked in
# the pool namespace <name>-pool, already on the VPC router's bridge. What EC2 changes later:
#   attach   the link moves into the instance (as a hot-plugged NIC appears), the image's DHCP gives it
#            its address and, on ubuntu-24.04, cloud-init's hotplug writes its table and rules
#   detach   the link goes back to the pool (its addresses and routes vanish with it; rules stay)
#   assign   the VPC learns a new address of the ENI (router and same-subnet client neighbours, the
#            source/dest check's set); the host is not touched: configuring it is eni-pbr's job
#   unassign the reverse
# State: <state>/attached (indices, one a line) and <state>/eni<i>.ips (EC2's addresses once changed).

lab_pool_ns() { lab_ns pool; }

# Every ENI is attached unless the lab was booted with fewer.
lab_is_attached() {
  [[ ! -f "${lab_state}/attached" ]] || grep -qx "$1" "${lab_state}/attached"
}

# EC2's current addresses of each ENI override the variant's (after assign/unassign).
lab_load_eni_state() {
  local i
  for i in "${!eni_subnet[@]}"; do
    [[ -f "${lab_state}/eni${i}.ips" ]] && eni_ips[i]="$(cat "${lab_state}/eni${i}.ips")"
  done
  return 0
}

lab_write_attached() {
  local i
  for i in "${!eni_subnet[@]}"; do
    if ((i < lab_boot_enis)); then echo "$i"; fi
  done >"${lab_state}/attached"
}

# [secondary]: attach and detach take secondary ENIs only (EC2 refuses to detach device 0).
lab_require_eni() {
  local first=0
  [[ "${1:-}" == secondary ]] && first=1
  if [[ ! "$lab_eni" =~ ^[0-9]+$ ]] || ((lab_eni < first || lab_eni >= ${#eni_subnet[@]})); then
    echo "lab: --eni must be an ENI index in ${first}..$((${#eni_subnet[@]} - 1))" >&2
    exit 2
  fi
}

cmd_attach() {
  local inst ifname ip
  lab_load_state
  lab_require_eni secondary
  lab_is_attached "$lab_eni" && return 0
  inst="$(lab_ns inst)"
  ifname="$(lab_ifname "$lab_ifnames" "$lab_eni")"
  ip -n "$(lab_pool_ns)" link set "$ifname" netns "$inst"
  ip netns exec "$inst" sysctl -qw "net.ipv4.conf.${ifname}.rp_filter=$(lab_rp_filter_value)"
  ip -n "$inst" link set "$ifname" up
  for ip in ${eni_host_ips[$lab_eni]}; do
    ip -n "$inst" addr add "${ip}/24" dev "$ifname"
  done
  lab_apply_preset_eni "$lab_eni"
  echo "$lab_eni" >>"${lab_state}/attached"
}

cmd_detach() {
  local ifname
  lab_load_state
  lab_require_eni secondary
  lab_is_attached "$lab_eni" || return 0
  ifname="$(lab_ifname "$lab_ifnames" "$lab_eni")"
  ip -n "$(lab_ns inst)" link set "$ifname" down
  ip -n "$(lab_ns inst)" link set "$ifname" netns "$(lab_pool_ns)"
  grep -vx "$lab_eni" "${lab_state}/attached" >"${lab_state}/attached.new" || true
  mv "${lab_state}/attached.new" "${lab_state}/attached"
}

# <add|del>: teaches (or makes forget) the VPC one address of ENI $lab_eni.
lab_vpc_address() {
  local action="$1" vpc n mac
  vpc="$(lab_ns vpc)"
  n="${eni_subnet[$lab_eni]}"
  mac="$(lab_mac "$lab_eni")"
  if [[ "$action" == add ]]; then
    ip -n "$vpc" neigh replace "$lab_ip" lladdr "$mac" dev "sub${n}" nud permanent
    ip netns exec "$vpc" nft add element bridge vpc_srcdst "eni${lab_eni}_ips" "{ ${lab_ip} }"
    ((client2_subnet != n)) || ip -n "$(lab_ns cl3)" neigh replace "$lab_ip" lladdr "$mac" dev eth0 nud permanent
    ((client_subnet != n)) || ip -n "$(lab_ns cli)" neigh replace "$lab_ip" lladdr "$mac" dev eth0 nud permanent
  else
    ip -n "$vpc" neigh del "$lab_ip" dev "sub${n}" || true
    ip netns exec "$vpc" nft delete element bridge vpc_srcdst "eni${lab_eni}_ips" "{ ${lab_ip} }"
    ((client2_subnet != n)) || ip -n "$(lab_ns cl3)" neigh del "$lab_ip" dev eth0 || true
    ((client_subnet != n)) || ip -n "$(lab_ns cli)" neigh del "$lab_ip" dev eth0 || true
  fi
}

lab_require_ip() {
  if [[ ! "$lab_ip" =~ ^10\.0\.${eni_subnet[$lab_eni]}\.([4-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$ ]]; then
    echo "lab: --ip must be a usable address of 10.0.${eni_subnet[$lab_eni]}.0/24" >&2
    exit 2
  fi
}

cmd_assign() {
  lab_load_state
  lab_require_eni
  lab_require_ip
  [[ " ${eni_ips[$lab_eni]} " == *" ${lab_ip} "* ]] && return 0
  lab_vpc_address add
  echo "${eni_ips[$lab_eni]} ${lab_ip}" >"${lab_state}/eni${lab_eni}.ips"
}

cmd_unassign() {
  local kept="" ip
  lab_load_state
  lab_require_eni
  lab_require_ip
  [[ " ${eni_ips[$lab_eni]} " == *" ${lab_ip} "* ]] || return 0
  lab_vpc_address del
  for ip in ${eni_ips[$lab_eni]}; do
    [[ "$ip" == "$lab_ip" ]] || kept+="${kept:+ }${ip}"
  done
  echo "$kept" >"${lab_state}/eni${lab_eni}.ips"
}
