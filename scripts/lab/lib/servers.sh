#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# The lab's HTTP services: `node` one-liners, one per namespace, their PIDs kept in the state dir.
# Each answers with who it is (and what it saw), so a probe proves which service answered.

readonly server_ready_tries=50  # × 0.1 s: node starts in ~50 ms here; 5 s covers a loaded CI box
# argv: <port> <who>. "client" echoes the peer address it saw (the container's egress SNAT source).
readonly server_js='
const [port, who] = process.argv.slice(1);
require("http").createServer((q, r) => {
  r.end(who === "client" ? `client saw ${q.socket.remoteAddress}\n` : `${who} ${q.socket.localAddress}\n`);
}).listen(Number(port), "0.0.0.0");'

lab_start_server() {
  local ns="$1" port="$2" who="$3" try
  ip netns exec "$ns" node -e "$server_js" "$port" "$who" </dev/null >>"${lab_state}/servers.log" 2>&1 &
  echo "$!" >>"${lab_state}/pids"
  for ((try = 0; try < server_ready_tries; try++)); do
    if ip netns exec "$ns" ss -Hltn "sport = :${port}" | grep -q .; then
      return 0
    fi
    sleep 0.1
  done
  echo "lab: the ${who} server on port ${port} in ${ns} did not start" >&2
  return 1
}

lab_start_servers() {
  lab_start_server "$(lab_ns ctr)" "$container_port" container &
  lab_start_server "$(lab_ns inst)" "$host_port" host &
  lab_start_server "$(lab_ns cli)" "$client_port" client &
  lab_start_server "$(lab_ns cl3)" "$client_port" client &
  local failed=0 job
  for job in $(jobs -p); do
    wait "$job" || failed=1
  done
  return "$failed"
}

# Servers die with their namespace's cleanup: every process inside a lab namespace is the lab's.
# <ns>…: signals every process in them, then waits for all of them together.
lab_stop_processes() {
  local ns try
  local -a pids
  for ((try = 0; try < 20; try++)); do # 20 × 0.05 s, then SIGKILL
    pids=()
    for ns in "$@"; do
      mapfile -t -O "${#pids[@]}" pids < <(ip netns pids "$ns" 2>/dev/null)
    done
    ((${#pids[@]} == 0)) && return 0
    kill "${pids[@]}" 2>/dev/null || true
    sleep 0.05
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}
