# shellcheck shell=bash
# What the agent prints: logs on stderr, JSON on stdout (no jq on the instance), always within what
# GetCommandInvocation keeps of stdout (OUTPUT_MAX).

log() { printf 'eni-pbr-agent: %s\n' "$*" >&2; }

die() {
  local code=$1
  shift
  log "$*"
  exit "$code"
}

# json_string NAME TEXT: sets the variable NAME to TEXT as a JSON string (no fork: a caller may run
# this once per link).
json_string() {
  local escaped=$2
  escaped=${escaped//\\/\\\\}
  escaped=${escaped//\"/\\\"}
  escaped=${escaped//$'\t'/\\t}
  escaped=${escaped//$'\n'/\\n}
  escaped=${escaped//$'\r'/\\r}
  escaped=${escaped//[$'\001'-$'\037']/}
  printf -v "$1" '"%s"' "$escaped"
}

# print_bounded TEXT: TEXT and a newline, or what replaces it past OUTPUT_MAX (a cut JSON is unreadable).
print_bounded() {
  if ((${#1} + 1 <= OUTPUT_MAX)); then
    printf '%s\n' "$1"
    return 0
  fi
  log "the output takes ${#1} characters; stdout keeps $OUTPUT_MAX"
  printf '{"schemaVersion":%d,"tooLarge":{"chars":%d,"limit":%d}}\n' "$SCHEMA_VERSION" "${#1}" "$OUTPUT_MAX"
}

# print_apply_result STATUS OPERATIONS BEFORE AFTER ERROR [AFTER_FD]: the result and the inspect document
# (read from AFTER_FD when it yields one, else taken now unless refused). Past OUTPUT_MAX the document
# gives way to "afterTooLarge".
print_apply_result() {
  local error=null head after=""
  [[ -z $5 ]] || json_string error "${5:0:ERROR_MAX}"
  printf -v head '{"schemaVersion":%d,"mode":"apply","result":{"status":"%s","operations":%d,"before":"%s","after":"%s","error":%s},"after":' \
    "$SCHEMA_VERSION" "$1" "$2" "$3" "$4" "$error"
  [[ -z ${6:-} ]] || after=$(<"/dev/fd/$6")
  [[ -n $after || $1 == refused ]] || after=$(print_inspect) || after=""
  if ((${#head} + ${#after} + 6 > OUTPUT_MAX)); then
    log "the after-inspect takes ${#after} characters; stdout keeps $OUTPUT_MAX"
    printf '%snull,"afterTooLarge":{"chars":%d,"limit":%d}}\n' "$head" "${#after}" "$OUTPUT_MAX"
    return 0
  fi
  printf '%s%s}\n' "$head" "${after:-null}"
}
