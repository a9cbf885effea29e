# shellcheck shell=bash
# Persistence (docs/agent-protocol.md, Persisted state): after a verified apply, the plan it applied
# (validated; base64 of gzip, without the header's one-time state= digest: at boot the host's state is
# another by design) is recorded under PERSIST_DIR, with the src_valid_mark found before
# eni-pbr first changed it (remove puts it back), and a boot-time unit re-runs that plan through the same
# apply path (mode "boot"). On systemd-networkd hosts a drop-in tells networkd to leave foreign rules and
# routes alone. ENI_PBR_ROOT (default /) prefixes every file path and ENI_PBR_PERSIST_DIR overrides the
# state directory, so namespace tests write into a temporary directory, never into the host's /etc.

ROOT_DIR=${ENI_PBR_ROOT:-}
ROOT_DIR=${ROOT_DIR%/}
PERSIST_DIR=${ENI_PBR_PERSIST_DIR:-$ROOT_DIR/var/lib/eni-pbr}
readonly ROOT_DIR PERSIST_DIR
readonly UNIT_NAME=eni-pbr-restore.service
readonly UNIT_DIR=$ROOT_DIR/etc/systemd/system
readonly NETWORKD_DROPIN=$ROOT_DIR/etc/systemd/networkd.conf.d/eni-pbr.conf
# the network managers' link-up hooks: NetworkManager's dispatcher, ifupdown, networkd-dispatcher
readonly NM_HOOK=$ROOT_DIR/etc/NetworkManager/dispatcher.d/50-eni-pbr
readonly IFUPDOWN_HOOK=$ROOT_DIR/etc/network/if-up.d/eni-pbr
readonly NETWORKD_DISPATCHER_HOOK=$ROOT_DIR/etc/networkd-dispatcher/routable.d/50-eni-pbr
readonly HOOK_TIMEOUT_SECONDS=300

# persisting: the host's own network namespace, or paths set for a test. A boot unit restores the host,
# never a lab namespace: an agent run in one (the tests, the lab) without ENI_PBR_ROOT/ENI_PBR_PERSIST_DIR
# leaves the machine's /etc and /var alone.
persisting() {
  [[ -n ${ENI_PBR_ROOT:-}${ENI_PBR_PERSIST_DIR:-} ]] && return 0
  # -ef: the same namespace inode, by the shell's own stat (no fork)
  [[ /proc/self/ns/net -ef /proc/1/ns/net ]]
}

# write_file PATH TEXT: PATH holds TEXT (written beside it and renamed: a reboot mid-write leaves the old).
write_file() {
  mkdir -p "${1%/*}" && printf '%s\n' "$2" >"$1.tmp" && mv -f "$1.tmp" "$1"
}

# networkd_host: systemd-networkd is installed (its binary; whether it runs is decided at boot).
networkd_host() {
  [[ -x $ROOT_DIR/lib/systemd/systemd-networkd || -x $ROOT_DIR/usr/lib/systemd/systemd-networkd ]]
}

# hook_text NAME MANAGER CONDITION IFACE: sets NAME to a link-up hook (POSIX sh) for MANAGER. A manager
# configures only its own addresses and routes on a link it brings up, and the kernel dropped the routes
# through it when it went down: the hook re-applies the recorded plan (runs queue on the agent's lock)
# when CONDITION (sh) holds and the link IFACE (sh) names is one of the plan's (its MAC in the macs
# file: a container's veth coming up runs nothing). Paths as on the host at boot.
hook_text() {
  local dir=${PERSIST_DIR#"$ROOT_DIR"}
  # written into sh unquoted: only a plain path (no quoting dash and bash would both read alike)
  [[ $dir =~ ^[A-Za-z0-9/._-]+$ ]] || {
    log "persist: no link-up hooks: $dir is not a plain path"
    return 1
  }
  printf -v "$1" '%s\n' '#!/bin/sh' \
    "# eni-pbr: $2 brought an ENI's link up; re-apply the recorded plan in the background (a no-op when" \
    '# nothing is missing). ENI_PBR_HOOK_FOREGROUND (tests) waits for it.' \
    "$3 || exit 0" \
    "address=/sys/class/net/$4/address" \
    '[ -r "$address" ] && read -r mac <"$address" || exit 0' \
    "grep -qixF -- \"\$mac\" $dir/macs 2>/dev/null || exit 0" \
    "set -- timeout $HOOK_TIMEOUT_SECONDS /bin/bash $dir/eni-pbr-agent.sh boot" \
    'if [ -n "${ENI_PBR_HOOK_FOREGROUND:-}" ]; then exec "$@" >/dev/null; fi' \
    '"$@" >/dev/null 2>&1 &'
}

# install_hook PATH TEXT BINARY...: PATH (0755) holds TEXT when one of the manager's BINARYs is installed.
install_hook() {
  local path=$1 text=$2 binary
  shift 2
  for binary in "$@"; do
    [[ -x $ROOT_DIR$binary ]] || continue
    write_file "$path" "${text%$'\n'}" && chmod 0755 "$path" || log "persist: cannot install $path"
    return 0
  done
}

# install_hooks: the link-up hooks of the network managers installed on this host.
install_hooks() {
  local text
  # NetworkManager-dispatcher(8): arguments interface and action
  hook_text text NetworkManager '[ "$2" = up ] && [ "$1" != lo ]' '$1' || return 0
  install_hook "$NM_HOOK" "$text" /usr/sbin/NetworkManager /sbin/NetworkManager
  # interfaces(5): run-parts with IFACE (--all once after ifup -a) and MODE=start
  hook_text text ifupdown '[ "${MODE:-}" = start ] && [ "${IFACE:-lo}" != lo ] && [ "$IFACE" != --all ]' '$IFACE'
  install_hook "$IFUPDOWN_HOOK" "$text" /sbin/ifup /usr/sbin/ifup
  # networkd-dispatcher(8): IFACE entering the routable state
  hook_text text networkd '[ "${IFACE:-lo}" != lo ]' '$IFACE'
  install_hook "$NETWORKD_DISPATCHER_HOOK" "$text" /usr/bin/networkd-dispatcher /usr/sbin/networkd-dispatcher
}

# persist_applied PREVIOUS_SVM: records $SSM_Plan and the boot unit after a verified apply; PREVIOUS_SVM
# is src_valid_mark before this apply (kept only the first time: later ones would record eni-pbr's own).
# A failure is logged, never fatal: the kernel state is already right.
persist_applied() {
  local agent unit first=${PLAN_TEXT/$'\n'*/} header
  [[ -n ${SSM_Plan:-} ]] && persisting || return 0
  # the plan apply decoded (PLAN_TEXT), its header without the one-time state= digest
  header=$first
  [[ ! $first =~ ^(.*)\ state=[0-9a-f]*$ ]] || header=${BASH_REMATCH[1]}
  {
    mkdir -p "$PERSIST_DIR" && chmod 0700 "$PERSIST_DIR" &&
      write_file "$PERSIST_DIR/plan" "$(printf '%s%s\n' "$header" "${PLAN_TEXT:${#first}}" | gzip -n | base64 | tr -d '\n')" &&
      write_file "$PERSIST_DIR/macs" "$(grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' <<<"$PLAN_TEXT" | sort -u)" &&
      { [[ -f $PERSIST_DIR/src_valid_mark.before || -z $1 ]] || write_file "$PERSIST_DIR/src_valid_mark.before" "$1"; }
  } || {
    log "persist: cannot record the plan under $PERSIST_DIR"
    return 0
  }
  # the unit runs the agent recorded here: the assembled script (the lib form is a test layout)
  agent="$PERSIST_DIR/eni-pbr-agent.sh"
  [[ ${BASH_SOURCE[0]} == */lib/persist.sh ]] || cp -f "${BASH_SOURCE[0]}" "$agent" 2>/dev/null || log "persist: cannot copy the agent to $agent"
  printf -v unit '%s\n' '[Unit]' 'Description=eni-pbr: re-apply the recorded policy routing plan' \
    'Wants=network-online.target' 'After=network-online.target' "ConditionPathExists=${PERSIST_DIR#"$ROOT_DIR"}/plan" '' \
    '[Service]' 'Type=oneshot' "ExecStart=/bin/bash ${agent#"$ROOT_DIR"} boot" '' '[Install]' 'WantedBy=multi-user.target'
  write_file "$UNIT_DIR/$UNIT_NAME" "${unit%$'\n'}" &&
    mkdir -p "$UNIT_DIR/multi-user.target.wants" &&
    ln -sfn "../$UNIT_NAME" "$UNIT_DIR/multi-user.target.wants/$UNIT_NAME" || log "persist: cannot install $UNIT_NAME"
  # read by networkd when it (re)starts: not restarted here (a restart is what wipes foreign rules)
  if networkd_host; then
    write_file "$NETWORKD_DROPIN" $'# eni-pbr: its rules and routes are foreign to networkd\n[Network]\nManageForeignRoutingPolicyRules=no\nManageForeignRoutes=no' ||
      log "persist: cannot write $NETWORKD_DROPIN"
  fi
  install_hooks
}

# unpersist: removes the recorded state, the unit, the drop-in and the hooks.
unpersist() {
  persisting || return 0
  rm -f "$UNIT_DIR/multi-user.target.wants/$UNIT_NAME" "$UNIT_DIR/$UNIT_NAME" "$NETWORKD_DROPIN" \
    "$NM_HOOK" "$IFUPDOWN_HOOK" "$NETWORKD_DISPATCHER_HOOK" &&
    rm -rf "$PERSIST_DIR"
}

# boot_plan_current: under the lock, boot goes on only with the plan still recorded (a remove or a newer
# apply while it waited for the lock: nothing to do).
BOOT_PLAN=""
boot_plan_current() {
  local now=""
  [[ -n $BOOT_PLAN ]] || return 0
  [[ ! -f $PERSIST_DIR/plan ]] || now=$(<"$PERSIST_DIR/plan")
  [[ $now != "$BOOT_PLAN" ]] || return 0
  log "boot: the recorded plan changed or went while waiting for the lock; nothing to do"
  exit 0
}

# cmd_boot: the boot path: the recorded plan through apply (validated and translated again; a MAC no
# link carries refuses it, changing nothing).
cmd_boot() {
  [[ -f $PERSIST_DIR/plan ]] || {
    log "boot: no plan recorded under $PERSIST_DIR; nothing to do"
    return 0
  }
  SSM_Plan=$(<"$PERSIST_DIR/plan")
  BOOT_PLAN=$SSM_Plan
  cmd_apply
}
