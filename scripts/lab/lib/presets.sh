#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# What the OS image configured before eni-pbr arrives.
#   bare          nothing: only the primary's default route (the old Ubuntu 22.04 experience)
#   ubuntu-24.04  cloud-init's hotplug netplan, as the article shows it: per secondary ENI, table
#                 100 + device index with `default via <gw> dev <if> proto static onlink` and the subnet
#                 route, a `from <ip> lookup <table>` rule per configured IP at pref 32765 proto static,
#                 and DHCP defaults in main at metric 100·(device index + 1).

lab_check_preset() {
  case "$lab_preset" in
    bare | ubuntu-24.04) ;;
    *)
      echo "lab: unknown preset '$lab_preset' (bare, ubuntu-24.04)" >&2
      return 2
      ;;
  esac
}

lab_apply_preset() {
  local inst i
  inst="$(lab_ns inst)"
  case "$lab_preset" in
    bare)
      ip -n "$inst" route add default via "10.0.${eni_subnet[0]}.1" dev "$(lab_ifname "$lab_ifnames" 0)"
      ;;
    ubuntu-24.04)
      ip -n "$inst" route add default via "10.0.${eni_subnet[0]}.1" dev "$(lab_ifname "$lab_ifnames" 0)" proto dhcp metric 100
      for i in "${!eni_subnet[@]}"; do
        ((i == 0)) && continue
        # An ENI attached later gets this from cloud-init's hotplug (lib/hotplug.sh attach).
        if lab_is_attached "$i"; then lab_apply_preset_eni "$i"; fi
      done
      ;;
    *)
      echo "lab: unknown preset '$lab_preset' (bare, ubuntu-24.04)" >&2
      return 2
      ;;
  esac
}

# What the image configures for secondary ENI <i>, at boot or on hotplug: nothing on bare.
lab_apply_preset_eni() {
  local i="$1" inst ifname table gw ip
  [[ "$lab_preset" == ubuntu-24.04 ]] || return 0
  inst="$(lab_ns inst)"
  ifname="$(lab_ifname "$lab_ifnames" "$i")"
  table=$((100 + i))
  gw="10.0.${eni_subnet[$i]}.1"
  ip -n "$inst" route add default via "$gw" dev "$ifname" proto dhcp metric $((100 * (i + 1)))
  ip -n "$inst" route add default via "$gw" dev "$ifname" proto static onlink table "$table"
  ip -n "$inst" route add "10.0.${eni_subnet[$i]}.0/24" dev "$ifname" proto static scope link table "$table"
  for ip in ${eni_host_ips[$i]}; do
    ip -n "$inst" rule add from "$ip" lookup "$table" pref 32765 proto static
  done
}
