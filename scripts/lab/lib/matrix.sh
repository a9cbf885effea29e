#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# The connectivity matrix, probed from outside as a user would: from the client, every ENI IP ×
# {ping, host service, container's published port}; from the container, its egress to the client.
# Probes run in parallel, each bounded, so a matrix costs about one probe timeout.

readonly probe_wait_s=1    # ping -W: the lab's RTT is µs; a dropped reply never comes
readonly probe_connect_s=1 # curl --connect-timeout: a dropped SYN-ACK is a hang, not a refusal
readonly probe_max_s=2     # curl --max-time: bounds the whole exchange

# Prints "<target> <probe> ok|fail <detail>" lines, tab-separated, in a stable order.
lab_probe_all() {
  local out ip cli ctr
  local -a ips
  mapfile -t ips < <(lab_all_ips)
  lab_reset_drops
  out="$(mktemp -d)"
  cli="$(lab_ns cli)"
  ctr="$(lab_ns ctr)"
  for ip in "${ips[@]}"; do
    lab_probe_ping "$cli" "$ip" >"${out}/${ip}.1" &
    lab_probe_http "$cli" "$ip" "$host_port" "host ${ip}" host >"${out}/${ip}.2" &
    lab_probe_http "$cli" "$ip" "$container_port" "container ${container_ip}" container >"${out}/${ip}.3" &
  done
  lab_probe_http "$ctr" "$client_ip" "$client_port" "client saw " egress >"${out}/egress" &
  wait
  for ip in "${ips[@]}"; do
    cat "${out}/${ip}.1" "${out}/${ip}.2" "${out}/${ip}.3"
  done
  cat "${out}/egress"
  rm -rf "$out"
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

# Reads lab_probe_all's lines on stdin and prints them as a table.
lab_render_matrix() {
  local target probe status detail passed=0 failed=0 egress=""
  declare -A cell=()
  local -a order=()
  while IFS=$'\t' read -r target probe status detail; do
    if [[ "$probe" == egress ]]; then
      egress="${status} (${detail})"
    else
      [[ -v "cell[${target}]" ]] || order+=("$target")
      cell[$target]+="$(printf '%-12s' "$status")"
    fi
    if [[ "$status" == ok ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  printf '  %-14s %-12s%-12s%-12s\n' "client ->" ping "host:${host_port}" "container:${container_port}"
  for target in "${order[@]}"; do
    printf '  %-14s %s\n' "$target" "${cell[$target]}"
  done
  printf '  container egress -> %s:%s: %s\n' "$client_ip" "$client_port" "$egress"
  printf '  dropped by the source/dest check:'
  while IFS=$'\t' read -r target detail; do
    printf ' %s=%s' "$target" "$detail"
  done < <(lab_srcdst_drops)
  printf '\n  %d passed, %d failed\n' "$passed" "$failed"
}
