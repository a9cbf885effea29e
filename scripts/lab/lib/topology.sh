#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# Builds the lab in network namespaces. Nothing is ever configured in the root namespace: every link is
# created inside a lab namespace (`ip -n`), and the veth peers are moved straight into their namespace.
#
#   client ns <name>-cli                 VPC router ns <name>-vpc                 instance ns <name>-inst
#  +------------------+      +---------------------------------------+      +-----------------------------+
#  | eth0 10.0.2.225  |------| cli0 -[br sub2 10.0.2.1]              |      |                             |
#  | echo server :8000|      |                                       |      |                             |
#  +------------------+      |        [br sub1 10.0.1.1]- eni0 ------|------| eth0 10.0.1.40 (primary)    |
#  client 2 ns <name>-cl3    |        [br sub3 10.0.3.1]- eni1 ------|------| eth1 10.0.3.158             |
#  +------------------+      |         |                             |      |                             |
#  | eth0 10.0.3.77   |------| cl30 ---+  (a port of sub3's bridge)  |      |                             |
#  | echo server :8000|      |                                       |      |                             |
#  +------------------+      |       ([br sub4 10.0.4.1]- eni2 ------|------| eth2 10.0.4.77  third-eni)  |
#                            |       ([br sub3]         - eni2 ------|------| eth2 10.0.3.200 shared-subnet)
#                            |                                       |      | host HTTP :8080             |
#                            | nft bridge vpc_srcdst: per ENI port,  |      | docker0 172.17.0.1/16       |
#                            |  drop frames whose IPv4 source (out   |      |   |  DNAT :80 -> 172.17.0.2  |
#                            |  of the ENI) or destination (into it) |      |   |  MASQUERADE 172.17/16    |
#                            |  is not one of the ENI's IPs, counted |      +---|-------------------------+
#                            +---------------------------------------+          |
#                                                                       container ns <name>-ctr
#                                                                       eth0 172.17.0.2, HTTP :80
#
# The router knows every ENI IP's and client's MAC statically, as the VPC does (no ARP flux between two
# ENIs of one subnet), and the bridge ports are the ENIs: this is what makes the source/dest check per ENI.
# Client 2 shares 10.0.3.0/24 with eth1: before eni-pbr, the primary's replies to it take main's
# connected route out of eth1 (source 10.0.1.40, not eth1's), and eni1's check drops them.

lab_ns() { echo "${lab_name}-$1"; }

lab_build_router() {
  local vpc n
  vpc="$(lab_ns vpc)"
  ip netns add "$vpc"
  ip -n "$vpc" link set lo up
  ip netns exec "$vpc" sysctl -qw net.ipv4.ip_forward=1
  while read -r n; do
    # A fixed bridge MAC: otherwise the bridge takes its lowest port's MAC, and that change flushes its
    # neighbour table, permanent entries included (neigh_changeaddr), losing the VPC's IP→MAC map.
    ip -n "$vpc" link add "sub${n}" address "$(printf '02:00:0a:00:%02x:01' "$n")" type bridge
    ip -n "$vpc" addr add "10.0.${n}.1/24" dev "sub${n}"
    ip -n "$vpc" link set "sub${n}" up
  done < <(lab_subnets_used)
}

# <role> <router port> <ip> <subnet>: a client namespace on a port of its subnet's bridge, default via .1.
lab_build_client() {
  local role="$1" port="$2" ip="$3" n="$4" vpc ns i eni_ip
  vpc="$(lab_ns vpc)"
  ns="$(lab_ns "$role")"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$vpc" link add "$port" type veth peer name eth0 netns "$ns"
  ip -n "$vpc" link set "$port" master "sub${n}" up
  ip -n "$ns" addr add "${ip}/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "10.0.${n}.1"
  ip -n "$vpc" neigh replace "$ip" lladdr "$(lab_link_mac "$ns" eth0)" dev "sub${n}" nud permanent
  # ENI IPs in the client's own subnet are reached directly, so the client knows their MACs the way the
  # VPC answers ARP; otherwise two ENIs of one subnet both answer for each other's IPs (arp_ignore=0).
  for i in "${!eni_subnet[@]}"; do
    ((eni_subnet[i] == n)) || continue
    for eni_ip in ${eni_ips[$i]}; do
      ip -n "$ns" neigh replace "$eni_ip" lladdr "$(lab_mac "$i")" dev eth0 nud permanent
    done
  done
}

lab_build_clients() {
  lab_build_client cli cli0 "$client_ip" "$client_subnet"
  lab_build_client cl3 cl30 "$client2_ip" "$client2_subnet"
}

lab_link_mac() {
  ip -n "$1" -br link show dev "$2" | awk '{print $3}'
}

lab_build_instance() {
  local vpc inst i ifname mac ip
  vpc="$(lab_ns vpc)"
  inst="$(lab_ns inst)"
  ip netns add "$inst"
  ip -n "$inst" link set lo up
  # No IPv6 DAD: otherwise link-local addresses (and their local routes) settle ~1 s after up, and the
  # host state would change under a test that compares it before and after a dry run.
  ip netns exec "$inst" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  ip netns add "$(lab_ns pool)"
  for i in "${!eni_subnet[@]}"; do
    ifname="$(lab_ifname "$lab_ifnames" "$i")"
    mac="$(lab_mac "$i")"
    if ! lab_is_attached "$i"; then
      # Not attached at boot: the instance end waits in the pool (lib/hotplug.sh), the VPC knows the ENI.
      ip -n "$vpc" link add "eni${i}" type veth peer name "$ifname" netns "$(lab_ns pool)"
      ip -n "$vpc" link set "eni${i}" master "sub${eni_subnet[$i]}" up
      ip -n "$(lab_ns pool)" link set "$ifname" address "$mac"
    else
      ip -n "$vpc" link add "eni${i}" type veth peer name "$ifname" netns "$inst"
      ip -n "$vpc" link set "eni${i}" master "sub${eni_subnet[$i]}" up
      ip -n "$inst" link set "$ifname" address "$mac" up
      for ip in ${eni_host_ips[$i]}; do
        ip -n "$inst" addr add "${ip}/24" dev "$ifname"
      done
    fi
    for ip in ${eni_ips[$i]}; do
      ip -n "$vpc" neigh replace "$ip" lladdr "$mac" dev "sub${eni_subnet[$i]}" nud permanent
    done
  done
  lab_set_rp_filter "$inst"
}

# Loose (2) is what systemd's 50-default.conf gives Debian and Ubuntu; the strict variant sets 1.
lab_rp_filter_value() {
  if [[ "$lab_variant" == strict-rp-filter ]]; then echo 1; else echo 2; fi
}

lab_set_rp_filter() {
  local ns="$1" value i
  value="$(lab_rp_filter_value)"
  ip netns exec "$ns" sysctl -qw "net.ipv4.conf.all.rp_filter=${value}" "net.ipv4.conf.default.rp_filter=${value}"
  for i in "${!eni_subnet[@]}"; do
    lab_is_attached "$i" || continue
    ip netns exec "$ns" sysctl -qw "net.ipv4.conf.$(lab_ifname "$lab_ifnames" "$i").rp_filter=${value}"
  done
}

# The source/dest check, per ENI port: a set of the ENI's IPs (all EC2 assigned, configured or not).
# Multicast (the kernel's IGMP reports) is left out: it is not unicast traffic the check is about.
lab_build_srcdst_check() {
  local vpc i ruleset ips
  vpc="$(lab_ns vpc)"
  ruleset="table bridge vpc_srcdst {"$'\n'
  for i in "${!eni_subnet[@]}"; do
    ips="${eni_ips[$i]// /, }"
    ruleset+="  set eni${i}_ips { type ipv4_addr; elements = { ${ips} }; }"$'\n'
    ruleset+="  counter eni${i}_drops { }"$'\n'
  done
  ruleset+="  chain pre { type filter hook prerouting priority 0; policy accept;"$'\n'
  for i in "${!eni_subnet[@]}"; do
    ruleset+="    iifname \"eni${i}\" ether type ip ip daddr != 224.0.0.0/4 ip saddr != @eni${i}_ips counter name \"eni${i}_drops\" drop"$'\n'
  done
  ruleset+="  }"$'\n'"  chain post { type filter hook postrouting priority 0; policy accept;"$'\n'
  for i in "${!eni_subnet[@]}"; do
    ruleset+="    oifname \"eni${i}\" ether type ip ip daddr != 224.0.0.0/4 ip daddr != @eni${i}_ips counter name \"eni${i}_drops\" drop"$'\n'
  done
  ruleset+="  }"$'\n'"}"$'\n'
  ip netns exec "$vpc" nft -f - <<<"$ruleset"
}
