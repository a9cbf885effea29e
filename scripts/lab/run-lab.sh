#!/usr/bin/env bash
# `npm run lab`: reproduces the article's failure in network namespaces and fixes it with the same
# pipeline the Lambda runs (facts → inspect → plan → apply → verify, through the real SSM document).
#
#   npm run lab [-- up] [--preset bare|ubuntu-24.04] [--variant V] [--ifnames eth|enX|ens] [--name N]
#               [--manage-primary]
#   npm run lab -- down [--name N]
#   npm run lab -- --service [--preset P] [--ifnames I] [--name N]
#
# --service: the packaged service (serverless package) fixes the instance from CloudTrail events through
# a local AWS endpoint: attach, assign, detach, then the agent offline and the job in the DLQ
# (scripts/lab/service/service-lab.ts). That lab is removed at the end.
#
# Variants: base, third-eni, secondary-ips, shared-subnet, strict-rp-filter. The lab stays up for
# exploration until `down`; running `up` again on a lab that is up changes nothing. Any failure removes
# what was built. The topology diagram is at the top of lib/topology.sh. --manage-primary remediates
# with the primary ENI's full table (also on a lab that is up: a second run on the same lab).
set -euo pipefail

lab_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root_dir="$(cd "${lab_dir}/../.." && pwd)"
readonly lab_dir root_dir

if ((EUID != 0)); then
  echo "npm run lab: the lab builds network namespaces and needs root (sudo npm run lab)" >&2
  exit 1
fi

if [[ " $* " == *" --service "* ]]; then
  bash "${root_dir}/scripts/ci/ensure-deps.sh"
  args=()
  for arg in "$@"; do [[ "$arg" == --service ]] || args+=("$arg"); done
  exec node --import tsx "${root_dir}/scripts/lab/service/service-lab.ts" "${args[@]}"
fi

command=up
if (($# > 0)) && [[ "$1" != --* ]]; then
  command="$1"
  shift
fi
name=eplab
args=()
remediate_flags=()
for arg in "$@"; do
  # The only flag that is not the lab's: it goes to eni-pbr remediate.
  if [[ "$arg" == --manage-primary ]]; then remediate_flags+=("$arg"); else args+=("$arg"); fi
done
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == --name ]] && name="${args[$((i + 1))]}"
done

lab() { bash "${lab_dir}/lab.sh" "$@"; }
info() { lab info --name "$name" | awk -F '\t' -v key="$1" '$1 == key { print $2 }'; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# Reads `lab.sh matrix --format tsv` on stdin; prints its failing cells, one "<from> -> <target>" a line.
failing_rows() {
  awk -F '\t' '$4 == "fail" {
    key = $1 " -> " $2
    if (!(key in probes)) order[++n] = key
    probes[key] = probes[key] (probes[key] == "" ? "" : ", ") $3
  }
  END { for (i = 1; i <= n; i++) printf "  %s: %s\n", order[i], probes[order[i]] }'
}

# What the remediation left failing, if anything (the lab expects nothing: the planner warns otherwise).
explain_gap() {
  local gap="$1"
  [[ -n "$gap" ]] || return 0
  echo
  echo "still failing (see the planner's findings above):"
  echo "$gap"
}

case "$command" in
  down)
    lab down --name "$name"
    echo "lab ${name}: removed"
    exit 0
    ;;
  up) ;;
  *)
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

bash "${root_dir}/scripts/ci/ensure-deps.sh"
# EXIT, not ERR: set -e leaves from inside functions, where an ERR trap does not run.
trap 'echo "npm run lab: failed; removing lab ${name}" >&2; lab down --name "$name"' EXIT

started="$(date +%s%N)"
lab up "${args[@]}"
up_ms="$(ms_since "$started")"
inst="$(info instance-ns)"
echo "lab ${name} up in ${up_ms} ms: $(info preset), variant $(info variant), interfaces $(info ifnames)*"
echo
echo "before (probed from the client, namespace $(info client-ns), client 2, namespace $(info client2-ns),"
echo "and the container, namespace $(info container-ns)):"
lab matrix --name "$name"
echo
started="$(date +%s%N)"
node "${root_dir}/bin/eni-pbr.mjs" remediate --netns "$inst" --enis "$(info enis)" --subnets "$(info subnets)" "${remediate_flags[@]}"
remediate_ms="$(ms_since "$started")"
echo "(eni-pbr remediate${remediate_flags[*]/#/ }: ${remediate_ms} ms wall time, node start-up included)"
echo
echo "after:"
after="$(lab matrix --name "$name" --format tsv)"
lab render --name "$name" <<<"$after"
explain_gap "$(failing_rows <<<"$after")"
trap - EXIT
cat <<EXPLORE

The lab stays up. Explore it:
  ip netns exec ${inst} ip rule
  ip netns exec ${inst} ip route show table all | grep -v '^local'
  ip netns exec ${inst} nft list table inet eni_pbr
  ip netns exec $(info client-ns) curl -m2 http://10.0.3.158/
  ip netns exec $(info client2-ns) curl -m2 http://10.0.1.40:8080/    # client 2 -> the primary
  ip netns exec ${inst} ip route get 10.0.3.77 from 10.0.1.40    # the primary's reply to it: its own table
  ip netns exec $(info container-ns) curl -m2 http://10.0.3.158:8080/    # the container -> its host
  ip netns exec ${inst} ip route get 172.17.0.2 from 10.0.3.158    # the host's reply to it: docker0
  ip netns exec $(info router-ns) nft list table bridge vpc_srcdst    # the source/dest check and its drops
  npx eni-pbr inspect --netns ${inst}
  EC2's view: $(info enis) and $(info subnets)
Remove it: npm run lab -- down$([[ "$name" == eplab ]] || echo " --name ${name}")
EXPLORE
