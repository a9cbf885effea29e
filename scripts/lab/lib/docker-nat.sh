#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# A Docker-style bridge network without a Docker engine: docker0, one "container" namespace, and the
# iptables rules `dockerd` (24.x, iptables-nft) writes for `docker run -p 80:80` — DNAT on every local
# address, MASQUERADE of the bridge subnet, FORWARD policy DROP with Docker's chains.

lab_build_docker() {
  local inst ctr
  inst="$(lab_ns inst)"
  ctr="$(lab_ns ctr)"
  ip netns add "$ctr"
  ip -n "$ctr" link set lo up
  ip -n "$inst" link add docker0 type bridge
  ip -n "$inst" addr add "${docker_gateway}/16" dev docker0
  ip -n "$inst" link set docker0 up
  # Docker names the host end veth<7 hex>; a fixed one keeps the lab reproducible.
  ip -n "$inst" link add veth0c7a1e5 type veth peer name eth0 netns "$ctr"
  ip -n "$inst" link set veth0c7a1e5 master docker0 up
  ip -n "$ctr" addr add "${container_ip}/16" dev eth0
  ip -n "$ctr" link set eth0 up
  ip -n "$ctr" route add default via "$docker_gateway"
  ip netns exec "$inst" sysctl -qw net.ipv4.ip_forward=1
  lab_docker_rules | ip netns exec "$inst" iptables-restore
}

lab_docker_rules() {
  cat <<RULES
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s ${container_ip}/32 -d ${container_ip}/32 -p tcp -m tcp --dport ${container_port} -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport ${container_port} -j DNAT --to-destination ${container_ip}:${container_port}
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d ${container_ip}/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport ${container_port} -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
RULES
}
