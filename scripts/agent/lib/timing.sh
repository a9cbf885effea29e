# shellcheck shell=bash
# The agent's own clock, for `npm run bench -- agent-apply`: only in a build with --timing (and in the
# source tree); the shipped script carries none of it. bash >= 5 only (EPOCHREALTIME); silent before.

readonly TIMING_STARTED=${EPOCHREALTIME:-}
TIMING_MARKS=""

# timing_mark LABEL: notes "LABEL <ms since the agent started>".
timing_mark() {
  [[ -n $TIMING_STARTED ]] || return 0
  TIMING_MARKS+="${TIMING_MARKS:+, }$1 $(((${EPOCHREALTIME/./} - ${TIMING_STARTED/./}) / 1000))"
}

# timing_log: the marks, on one log line.
timing_log() {
  [[ -z $TIMING_MARKS ]] || log "ms since start: $TIMING_MARKS"
}
