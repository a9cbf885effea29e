#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The lab's building blocks, one command each; `run-lab.sh` (npm run lab) and the tests drive them.
#
#   lab.sh up     [--name N] [--preset bare|ubuntu-24.04] [--variant V] [--ifnames eth|enX|ens] [--boot-enis K]
#   lab.sh matrix [--name N] [--format table|tsv]
#   lab.sh attach|detach   --eni I [--name N]         hot-plug secondary ENI I (lib/hotplug.sh)
#   lab.sh assign|unassign --eni I --ip A [--name N]  EC2 assigns/unassigns address A on ENI I
#   lab.sh render [--name N]      reads `matrix --format tsv` on stdin, prints it as `matrix` does
#   lab.sh down   [--name N]
#   lab.sh info   [--name N]      prints "key<TAB>value" lines: namespaces, state dir, JSON files
#
# Variants: base, third-eni, secondary-ips, shared-subnet, strict-rp-filter. The topology diagram is at
# the top of lib/topology.sh. State (PIDs, the EC2-shaped JSON) lives in .lab/<name>/.
set -euo pipefail

lab_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly lab_dir
# shellcheck source=lib/spec.sh
source "${lab_dir}/lib/spec.sh"
# shellcheck source=lib/topology.sh
source "${lab_dir}/lib/topology.sh"
# shellcheck source=lib/docker-nat.sh
source "${lab_dir}/lib/docker-nat.sh"
# shellcheck source=lib/presets.sh
source "${lab_dir}/lib/presets.sh"
# shellcheck source=lib/servers.sh
source "${lab_dir}/lib/servers.sh"
# shellcheck source=lib/describe-json.sh
source "${lab_dir}/lib/describe-json.sh"
# shellcheck source=lib/matrix.sh
source "${lab_dir}/lib/matrix.sh"
# shellcheck source=lib/lifecycle.sh
source "${lab_dir}/lib/lifecycle.sh"
# shellcheck source=lib/hotplug.sh
source "${lab_dir}/lib/hotplug.sh"

lab_name=eplab
lab_preset=ubuntu-24.04
lab_variant=base
lab_ifnames=eth
lab_format=table
lab_boot_enis=all # how many ENIs the instance boots with; the rest are attached later (attach)
lab_eni=""
lab_ip=""

usage() {
  sed -n '3,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

parse_options() {
  while (($# > 0)); do
    (($# >= 2)) || usage
    case "$1" in
      --name) lab_name="$2" ;;
      --preset) lab_preset="$2" ;;
      --variant) lab_variant="$2" ;;
      --ifnames) lab_ifnames="$2" ;;
      --format) lab_format="$2" ;;
      --boot-enis) lab_boot_enis="$2" ;;
      --eni) lab_eni="$2" ;;
      --ip) lab_ip="$2" ;;
      *) usage ;;
    esac
    shift 2
  done
  # The name prefixes namespace names and a directory: keep it short and plain.
  if [[ ! "$lab_name" =~ ^[a-z][a-z0-9-]{0,23}$ ]]; then
    echo "lab: --name must match ^[a-z][a-z0-9-]{0,23}\$" >&2
    exit 2
  fi
  if [[ "$lab_boot_enis" != all && ! "$lab_boot_enis" =~ ^[1-9]$ ]]; then
    echo "lab: --boot-enis must be all or 1-9" >&2
    exit 2
  fi
  lab_state="$(cd "${lab_dir}/../.." && pwd)/.lab/${lab_name}"
}

require_root() {
  if ((EUID != 0)); then
    echo "lab: network namespaces need root (run as root, e.g. sudo npm run lab)" >&2
    exit 77
  fi
}

cmd_up() {
  lab_spec_load "$lab_variant"
  lab_ifname "$lab_ifnames" 0 >/dev/null
  lab_check_preset
  if lab_is_up; then
    echo "lab: ${lab_name} is already up (${lab_preset}, ${lab_variant}, ${lab_ifnames})" >&2
    return 0
  fi
  cmd_down
  mkdir -p "$lab_state"
  : >"${lab_state}/pids"
  [[ "$lab_boot_enis" == all ]] || lab_write_attached
  # EXIT, not ERR: set -e leaves from inside the build functions, where an ERR trap does not run.
  trap 'echo "lab: up failed; removing ${lab_name}" >&2; cmd_down' EXIT
  lab_build_router
  lab_build_clients
  lab_build_instance
  lab_apply_preset
  lab_build_docker
  lab_build_srcdst_check
  lab_write_describe_network_interfaces >"${lab_state}/describe-network-interfaces.json"
  lab_write_describe_subnets >"${lab_state}/describe-subnets.json"
  lab_start_servers
  echo "$lab_preset $lab_variant $lab_ifnames $lab_boot_enis" >"${lab_state}/config"
  trap - EXIT
}

lab_load_state() {
  local config
  if [[ ! -f "${lab_state}/config" ]]; then
    echo "lab: ${lab_name} is not up (npm run lab)" >&2
    exit 3
  fi
  config="$(cat "${lab_state}/config")"
  read -r lab_preset lab_variant lab_ifnames lab_boot_enis <<<"$config"
  lab_spec_load "$lab_variant"
  lab_load_eni_state
}

cmd_matrix() {
  lab_load_state
  case "$lab_format" in
    tsv) lab_probe_all ;;
    table) lab_probe_all | lab_render_matrix ;;
    *) usage ;;
  esac
}

cmd_render() {
  lab_load_state
  lab_render_matrix
}

cmd_info() {
  lab_load_state
  printf 'name\t%s\npreset\t%s\nvariant\t%s\nifnames\t%s\nstate\t%s\nboot-enis\t%s\n' "$lab_name" "$lab_preset" "$lab_variant" "$lab_ifnames" "$lab_state" "$lab_boot_enis"
  printf 'instance-ns\t%s\nrouter-ns\t%s\nclient-ns\t%s\nclient2-ns\t%s\ncontainer-ns\t%s\npool-ns\t%s\n' "$(lab_ns inst)" "$(lab_ns vpc)" "$(lab_ns cli)" "$(lab_ns cl3)" "$(lab_ns ctr)" "$(lab_ns pool)"
  printf 'enis\t%s\nsubnets\t%s\ninstance-id\t%s\n' "${lab_state}/describe-network-interfaces.json" "${lab_state}/describe-subnets.json" "$lab_instance_id"
}

main() {
  (($# >= 1)) || usage
  local command="$1"
  shift
  parse_options "$@"
  require_root
  case "$command" in
    up) cmd_up ;;
    down) cmd_down ;;
    matrix) cmd_matrix ;;
    render) cmd_render ;;
    info) cmd_info ;;
    attach) cmd_attach ;;
    detach) cmd_detach ;;
    assign) cmd_assign ;;
    unassign) cmd_unassign ;;
    *) usage ;;
  esac
}

main "$@"
