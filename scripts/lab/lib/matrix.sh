#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# The connectivity matrix, probed from outside as a user would: from each client (10.0.2.225 in its own
# subnet, 10.0.3.77 in eth1's), every ENI IP × {ping, host service, container's published port}; from
# the container, its egress to the first client and the host's service on every ENI IP (a container
# calling its host: the host's replies from that IP must stay on docker0, not take an ENI table's
# default route to the VPC router). Probes run in parallel, each bounded, so a matrix costs about one
# probe timeout.

readonly probe_wait_s=1    # ping -W: the lab's RTT is µs; a dropped reply never comes
readonly probe_connect_s=1 # curl --connect-timeout: a dropped SYN-ACK is a hang, not a refusal
readonly probe_max_s=2     # curl --max-time: bounds the whole exchange

# Prints "<from> <target> <probe> ok|fail <detail>" lines, tab-separated, in a stable order: the first
# client's rows, the container's egress, the container's calls to the host (probe "host", one per ENI
# IP), then the second client's rows.
lab_probe_all() {
  local out ip from ns ctr
  local -a ips
  local -A client_ns=([$client_ip]="$(lab_ns cli)" [$client2_ip]="$(lab_ns cl3)")
  mapfile -t ips < <(lab_all_ips)
  lab_reset_drops
  out="$(mktemp -d)"
  for from in "$client_ip" "$client2_ip"; do
    ns="${client_ns[$from]}"
    for ip in "${ips[@]}"; do
      lab_probe_ping "$ns" "$ip" >"${out}/${from}-${ip}.1" &
      lab_probe_http "$ns" "$ip" "$host_port" "host ${ip}" host >"${out}/${from}-${ip}.2" &
      lab_probe_http "$ns" "$ip" "$container_port" "container ${container_ip}" container >"${out}/${from}-${ip}.3" &
    done
  done
  ctr="$(lab_ns ctr)"
  lab_probe_http "$ctr" "$client_ip" "$client_port" "client saw " egress >"${out}/egress" &
  for ip in "${ips[@]}"; do
    lab_probe_http "$ctr" "$ip" "$host_port" "host ${ip}" host >"${out}/${container_ip}-${ip}" &
  done
  wait
  for ip in "${ips[@]}"; do
    lab_rows "$client_ip" "${out}/${client_ip}-${ip}".{1,2,3}
  done
  lab_rows "$container_ip" "${out}/egress"
  for ip in "${ips[@]}"; do
    lab_rows "$container_ip" "${out}/${container_ip}-${ip}"
  done
  for ip in "${ips[@]}"; do
    lab_rows "$client2_ip" "${out}/${client2_ip}-${ip}".{1,2,3}
  done
  rm -rf "$out"
}

# <from> <file>…: the probes' lines, each prefixed with where it was probed from.
lab_rows() {
  local from="$1"
  shift
  sed "s/^/${from}\t/" "$@"
}

lab_probe_ping() {
  if ip netns exec "$1" ping -n -q -c1 -W"$probe_wait_s" "$2" >/dev/null 2>&1; then
    printf '%s\tping\tok\t-\n' "$2"
  else
    printf '%s\tping\tfail\tno reply\n' "$2"
  fi
}

# <ns> <ip> <port> <expected body prefix> <probe name>
lab_probe_http() {
  local body rc=0
  body="$(ip netns exec "$1" curl -sS --connect-timeout "$probe_connect_s" --max-time "$probe_max_s" "http://$2:$3/" 2>&1)" || rc=$?
  body="${body%%$'\n'*}"
  if ((rc == 0)) && [[ "$body" == "$4"* ]]; then
    printf '%s\t%s\tok\t%s\n' "$2" "$5" "$body"
  else
    printf '%s\t%s\tfail\t%s\n' "$2" "$5" "${body:-curl exit $rc}"
  fi
}

# The drop counters then tell what this matrix's probes lost, not what earlier runs did.
lab_reset_drops() {
  local i
  for i in "${!eni_subnet[@]}"; do
    ip netns exec "$(lab_ns vpc)" nft reset counter bridge vpc_srcdst "eni${i}_drops" >/dev/null
  done
}

lab_srcdst_drops() {
  local i
  for i in "${!eni_subnet[@]}"; do
    printf 'eni%d\t%s\n' "$i" "$(ip netns exec "$(lab_ns vpc)" nft list counter bridge vpc_srcdst "eni${i}_drops" | grep -o 'packets [0-9]*' | cut -d' ' -f2)"
  done
}

# Reads lab_probe_all's lines on stdin and prints them as tables: one per client, one for the container.
lab_render_matrix() {
  local from target probe status detail passed=0 failed=0 egress="" key
  declare -A cell=()
  local -a order=() to_host_ip=() to_host_status=()
  while IFS=$'\t' read -r from target probe status detail; do
    if [[ "$probe" == egress ]]; then
      egress="${status} (${detail})"
    elif [[ "$from" == "$container_ip" ]]; then
      to_host_ip+=("$target")
      to_host_status+=("$status")
    else
      key="${from}>${target}"
      [[ -v "cell[${key}]" ]] || order+=("$key")
      cell[$key]+="${status} "
    fi
    if [[ "$status" == ok ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  lab_render_section "client ->" "$client_ip"
  printf '  container egress -> %s:%s: %s\n' "$client_ip" "$client_port" "$egress"
  lab_render_to_host
  lab_render_section "${client2_ip} ->" "$client2_ip"
  printf '  dropped by the source/dest check:'
  while IFS=$'\t' read -r target detail; do
    printf ' %s=%s' "$target" "$detail"
  done < <(lab_srcdst_drops)
  printf '\n  %d passed, %d failed\n' "$passed" "$failed"
}

# <header> <from>: one client's rows (reads lab_render_matrix's cell and order).
lab_render_section() {
  local key ping host container
  printf '  %-14s %-12s%-12s%s\n' "$1" ping "host:${host_port}" "container:${container_port}"
  for key in "${order[@]}"; do
    [[ "${key%%>*}" == "$2" ]] || continue
    read -r ping host container <<<"${cell[$key]}"
    printf '  %-14s %-12s%-12s%s\n' "${key#*>}" "$ping" "$host" "$container"
  done
}

# The container's calls to the host's service, one column per ENI IP (reads lab_render_matrix's
# to_host_ip and to_host_status).
lab_render_to_host() {
  local header="" row="" i width
  for i in "${!to_host_ip[@]}"; do
    width=12
    ((i + 1 < ${#to_host_ip[@]})) || width=0 # the last column unpadded, as the clients' tables
    header+="$(printf '%-*s' "$width" "${to_host_ip[i]}")"
    row+="$(printf '%-*s' "$width" "${to_host_status[i]}")"
  done
  printf '  %-14s %s\n' "container ->" "$header" "host:${host_port}" "$row"
}
