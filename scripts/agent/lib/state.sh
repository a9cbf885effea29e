# shellcheck shell=bash
# The owned-state digest that ties a plan to the host it was planned from (compare-and-swap, issue 14):
# inspect reports it as "state":{"digest":…}, the core repeats it in the plan header (`state=<sha256>`),
# and apply, under the lock, refuses with status stale (exit 9) when the host's digest is another —
# a stale plan (a retried job, the CLI and the Lambda at once) never undoes a newer one. The digest is
# the sha256 of the text apply's before/after digests hash (apply.sh owned_text), so an inspect's
# digest equals the next apply's `before` when nothing changed in between.

PLAN_STATE="" # the plan header's state= digest; empty when the plan carries none (no check)

# plan_state_of TEXT: PLAN_STATE from the plan's header line (the grammar has checked its form, or will).
plan_state_of() {
  local header=${1%%$'\n'*}
  PLAN_STATE=""
  [[ $header =~ \ state=([0-9a-f]{64})$ ]] && PLAN_STATE=${BASH_REMATCH[1]}
  return 0
}

# refuse_if_stale BEFORE_DIGEST: under the lock, before any change; prints the stale result and exits 9.
refuse_if_stale() {
  [[ -n $PLAN_STATE && $PLAN_STATE != "$1" ]] || return 0
  log "plan stale: the host's owned state is $1, the plan was made from $PLAN_STATE"
  print_apply_result stale 0 "$1" "$1" "line 1: the host's owned state is $1, the plan was made from $PLAN_STATE"
  exit "$EXIT_STALE"
}

# print_state_member [given]: the inspect document's "state" member on one line (reads only); "given":
# S_FW and FW_BACKEND already hold the own firewall (apply's, read after its change).
print_state_member() {
  local digest="" empty
  if [[ ${1:-} != given ]]; then
    firewall_backend
    S_FW=$(print_own_firewall)
  fi
  # after_digest hashes a given text (here none) and the owned state read now, in one sha256sum
  after_digest empty digest ""
  : "$empty"
  printf '{"digest":"%s","recovered":%s}' "$digest" "${RECOVERED_JSON:-[]}"
}
