#!/usr/bin/env bash
# The lab's instance, as data: which ENIs exist (EC2's view) and what the host has configured (the
# preset's view). Every value here is a constant of the lab; nothing comes from outside.
# shellcheck disable=SC2034  # the arrays are read by the files that source this one

# ENI table, one index per ENI (device index = index):
#   eni_subnet[i]   third octet of the ENI's /24 subnet (10.0.<n>.0/24; the router answers on .1)
#   eni_ips[i]      space-separated private IPv4s EC2 assigned, primary first
#   eni_host_ips[i] the ones the host has configured (a secondary IP may be assigned in EC2 only)
declare -a eni_subnet=() eni_ips=() eni_host_ips=()

readonly client_ip=10.0.2.225
readonly client_subnet=2
# A second client in the secondary ENI's subnet (eth1's 10.0.3.0/24): the primary's replies to it take
# main's connected route out of eth1 until eni-pbr gives the primary its table of the other subnets.
readonly client2_ip=10.0.3.77
readonly client2_subnet=3
readonly container_ip=172.17.0.2
readonly docker_gateway=172.17.0.1
readonly host_port=8080   # the host's own HTTP service
readonly container_port=80 # published by the "container" on every host address, as `docker run -p 80:80`
readonly client_port=8000 # the client's echo service, the container's egress target

# Fills the ENI table for a variant (base, third-eni, secondary-ips, shared-subnet, strict-rp-filter).
lab_spec_load() {
  local variant="$1"
  eni_subnet=(1 3)
  eni_ips=("10.0.1.40" "10.0.3.158")
  eni_host_ips=("10.0.1.40" "10.0.3.158")
  case "$variant" in
    base | strict-rp-filter) ;;
    third-eni)
      eni_subnet+=(4)
      eni_ips+=("10.0.4.77")
      eni_host_ips+=("10.0.4.77")
      ;;
    secondary-ips)
      # .160 and the primary's .41 are assigned in EC2 but not configured on the host: the pipeline adds them.
      eni_ips[0]="10.0.1.40 10.0.1.41"
      eni_ips[1]="10.0.3.158 10.0.3.159 10.0.3.160"
      eni_host_ips[1]="10.0.3.158 10.0.3.159"
      ;;
    shared-subnet)
      eni_subnet+=(3)
      eni_ips+=("10.0.3.200")
      eni_host_ips+=("10.0.3.200")
      ;;
    *)
      echo "lab: unknown variant '$variant' (base, third-eni, secondary-ips, shared-subnet, strict-rp-filter)" >&2
      return 2
      ;;
  esac
}

# Interface name of ENI <index> under a naming scheme: eth (eth0…), enX (Xen-era Ubuntu, enX0…),
# ens (Nitro, ens5…: the PCI slot starts at 5).
lab_ifname() {
  local scheme="$1" index="$2"
  case "$scheme" in
    eth) echo "eth${index}" ;;
    enX) echo "enX${index}" ;;
    ens) echo "ens$((index + 5))" ;;
    *)
      echo "lab: unknown interface scheme '$scheme' (eth, enX, ens)" >&2
      return 2
      ;;
  esac
}

# Fixed, locally administered MAC (0x02 bit set in the first octet, as EC2's 0a:… / 0e:… MACs are).
lab_mac() {
  printf '0a:e1:ab:00:00:%02x\n' "$(($1 + 16))"
}

lab_subnets_used() {
  printf '%s\n' "${eni_subnet[@]}" "$client_subnet" "$client2_subnet" | sort -nu
}

# Every IPv4 EC2 assigned to the instance's attached ENIs, one a line, ENI order (the matrix's rows).
lab_all_ips() {
  local i ip
  for i in "${!eni_ips[@]}"; do
    lab_is_attached "$i" || continue
    for ip in ${eni_ips[$i]}; do echo "$ip"; done
  done
}
