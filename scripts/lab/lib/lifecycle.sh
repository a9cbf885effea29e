#!/usr/bin/env bash
# shellcheck disable=SC2154  # the lab's constants come from spec.sh, its options from lab.sh
# Whether a lab is up, and taking one down: namespaces first emptied of their processes, then deleted.

lab_namespaces() { printf '%s\n' "$(lab_ns cli)" "$(lab_ns cl3)" "$(lab_ns ctr)" "$(lab_ns inst)" "$(lab_ns vpc)" "$(lab_ns pool)"; }

lab_ns_exists() { [[ -e "/run/netns/$1" ]]; }

cmd_down() {
  local ns
  local -a present=()
  while read -r ns; do
    lab_ns_exists "$ns" && present+=("$ns")
  done < <(lab_namespaces)
  # All namespaces' servers at once: one wait instead of one per namespace.
  ((${#present[@]} == 0)) || lab_stop_processes "${present[@]}"
  for ns in "${present[@]}"; do
    ip netns del "$ns"
  done
  rm -rf "$lab_state"
}

# Same configuration, every namespace present, every server alive: nothing to do.
lab_is_up() {
  local ns pid
  [[ -f "${lab_state}/config" ]] || return 1
  [[ "$(cat "${lab_state}/config")" == "$lab_preset $lab_variant $lab_ifnames $lab_boot_enis" ]] || return 1
  while read -r ns; do lab_ns_exists "$ns" || return 1; done < <(lab_namespaces)
  while read -r pid; do kill -0 "$pid" 2>/dev/null || return 1; done <"${lab_state}/pids"
}
