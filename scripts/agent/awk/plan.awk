# The plan program, after plan-grammar.awk (one program: -f plan-grammar.awk -f plan.awk). The plan is
# only data: it follows a "==plan" line; before it, list_kernel's listings ("==ip4", "==ip6": ip -o -N,
# tables as numbers) and "==sysctl" (src_valid_mark). MODE:
#   validate   prints "OK" or "REFUSE <line> <reason>" (no host state)
#   owned      prints the owned state only (the after digest)
#   observe    the header and blocks below, without translating
#   translate  validates every line first, then turns the plan into batches against the host state
# Output (observe/translate): seven "%9d " numbers (ip -4 and ip -6 line counts, byte lengths of five
# blocks), the blocks (ip -4 lines but rules, ip -4 rules, ip -6 lines, the owned state "A <if> <cidr>
# <brd|-> <label>" | "G <if> <group>" | "R <4|6> <rule>" | "T <4|6> <route>", SYSCTL/CONNMARK/CM/REFUSE
# lines), then "==".
# Set by the agent (-v), besides the grammar's: PROTO, IFNAMEMAX, LABEL.
# a CIDR as ip prints it: no /32 or /128, and a /0 is "default" (a rule prints "from all")
function short(fam, s) { if (s ~ /\/0$/) return "default"; if (fam == "4") sub(/\/32$/, "", s); else sub(/\/128$/, "", s); return s }
function from(fam, s) { s = short(fam, s); return s == "default" ? "all" : s }
# A name reaches ip -batch lines ("#" starts a comment) and nft strings: only plain names resolve. The
# name is cut at the first "@" of "name@parent"; /proc/net/dev (no parent there) tells a name holding
# "@" apart. A bridge takes a port's MAC and a bond its slaves': enslaved links never resolve, a bond
# does (functions/core/planner/resolve-interface.ts).
function resolve(n, mac,   k) {
  if (!(mac in MACIF) && (mac in ENSLAVED)) { refuse(n, mac " is only on a link enslaved to another (a bridge port or bond slave)"); return "" }
  k = MACIF[mac]
  if (k == "") { refuse(n, "no single non-bridge link carries " mac); return "" }
  if (!isifname(IFN[k]) || !(IFN[k] in DEVNAME) || (IFN[k] in ATNAME)) { refuse(n, "the link carrying " mac " has a name outside ^[A-Za-z0-9_.-]{1,15}$"); return "" }
  return IFN[k]
}
function emit(fam, s) { if (fam == "6") { B6[++n6] = s; l6 += length(s) + 1 } else if (s ~ /^rule /) { R4[++r4] = s; lr4 += length(s) + 1 } else { B4[++n4] = s; l4 += length(s) + 1 } }
function misc(s) { MISC[++nmisc] = s; lmisc += length(s) + 1 }
function own(s) { STATE[++nstate] = s; lstate += length(s) + 1 }
# table numbers as ip -N prints them ("main" is 254)
function tnum(t) { return t == "main" ? "254" : t }
function translate(n, s,   f, nf, fam, dev, key, shown, tail, sel, table, present, label, i, pair, extra, mm) {
  nf = split(s, f, " "); fam = f[3]
  if (f[1] == "link") {
    # only a link in the default group or in eni-pbr's group is ever moved: another group belongs to another tool
    if ((dev = resolve(n, f[3])) == "" || LINKGROUP[dev] == f[4]) return
    if (LINKGROUP[dev] != "0" && LINKGROUP[dev] != GROUP) return refuse(n, dev " is in group " LINKGROUP[dev] ", not 0 or " GROUP)
    emit(4, "link set dev " dev " group " f[4])
  } else if (f[1] == "addr") {
    if ((dev = resolve(n, f[3])) == "") return
    key = dev " " f[4]
    if (f[2] == "add") {
      if (key in ADDR) return
      label = length(dev) + length(LABEL) <= IFNAMEMAX ? " label " dev LABEL : ""
      emit(4, "address add " f[4] " dev " dev label)
    } else if (key in ADDR) {
      # only addresses eni-pbr labelled are ever removed: the primary and cloud-init ones are not ours
      if (ADDR[key] != dev LABEL) return refuse(n, f[4] " on " dev " is not labelled " dev LABEL)
      emit(4, "address del " f[4] " dev " dev)
    }
  } else if (f[1] == "route" && f[2] == "del") {
    if ((fam " " f[4] " " short(fam, f[5])) in OWNROUTE) emit(fam, "route del " f[5] " table " f[4] " proto " PROTO)
  } else if (f[1] == "route") {
    tail = fam == "6" ? " metric 1024" : ""
    # via a router: the default, or (the unmanaged primary's table) the subnet of another ENI
    if (nf == 9) {
      if ((dev = resolve(n, f[9])) == "") return
      shown = short(fam, f[5]) " via " f[7] " dev " dev " table " f[4] " proto " PROTO tail " onlink" (fam == "6" ? " pref medium" : "")
      if (!((fam " " shown) in ROUTE)) emit(fam, "route replace " f[5] " via " f[7] " dev " dev " table " f[4] " proto " PROTO " onlink")
    } else {
      if ((dev = resolve(n, f[7])) == "") return
      shown = short(fam, f[5]) " dev " dev " table " f[4] " proto " PROTO (fam == "4" ? " scope 253" : tail " pref medium")
      if (!((fam " " shown) in ROUTE)) emit(fam, "route replace " f[5] " dev " dev " table " f[4] " proto " PROTO)
    }
  } else if (f[1] == "rule") {
    table = f[nf]; present = 0; extra = ""
    if (f[5] == "from" && f[7] == "iif") { sel = "from " f[6] " iif lo"; shown = "from " from(fam, f[6]) " iif lo" }
    else if (f[5] == "from") { sel = "from " f[6]; shown = "from " from(fam, f[6]) }
    # ip rule prints a full mask not at all: "fwmark 0x1"
    else if (f[5] == "fwmark") { split(f[6], mm, "/"); sel = "fwmark " hexnorm(mm[1]) "/" hexnorm(mm[2]); shown = "from all " (hexnorm(mm[2]) == "0xffffffff" ? "fwmark " hexnorm(mm[1]) : sel) }
    else if (f[5] == "iif") { if ((dev = resolve(n, f[6])) == "") return; sel = "iif " dev; shown = "from all iif " dev }
    else if (f[5] == "suppress-ifgroup") { sel = "from all"; shown = "from all"; extra = " suppress_ifgroup " GROUP }
    else { sel = "iif " f[6]; shown = "from all iif " f[6]; present = (fam " " f[4] ":\tfrom all iif " f[6] " [detached] lookup 254 proto " PROTO) in RULE }
    if ((fam " " f[4] ":\t" shown " lookup " tnum(table) extra " proto " PROTO) in RULE) present = 1
    if ((f[2] == "add" && !present) || (f[2] == "del" && present)) emit(fam, "rule " f[2] " pref " f[4] " " sel " lookup " table extra " proto " PROTO)
  } else if (f[1] == "sysctl") {
    if (f[3] != SVM) misc("SYSCTL " f[3])
  } else if (f[1] == "connmark") {
    misc("CONNMARK " f[2])
    for (i = 3; i <= nf; i++) {
      split(f[i], pair, "=")
      if ((dev = resolve(n, pair[1])) == "") return
      misc("CM " dev " " pair[1] " " pair[2])
    }
  }
}
# observe FAMILY: one listing line. Links come twice (the bridge listing, then all links): an index seen
# twice is a bridge. -N prints an Ethernet link type as "link/[1]".
function observe(fam,   name, i, p, brd, label, d, k) {
  if (fam == "4" && $0 ~ /^[0-9]+: [^ ]+: </) {
    k = $1
    if (k in SEEN) { BRIDGE[k] = 1; return }
    SEEN[k] = 1
    name = $2; sub(/:$/, "", name); sub(/@.*/, "", name); IFN[k] = name
    for (i = 3; i < NF && $i !~ /^link\//; i++) {
      if ($i == "master") MASTER[k] = 1
      else if ($i == "group") { LINKGROUP[name] = $(i + 1); own("G " name " " $(i + 1)) }
    }
    for (i = 3; i < NF; i++) if ($i == "link/ether" || $i == "link/[1]") { if (length($(i + 1)) == 17) LINKMAC[k] = $(i + 1); break }
    return
  }
  # In `ip -o addr` output the label is the word glued to the "\" that ends the address part.
  if (fam == "4" && $0 ~ /^[0-9]+: [^ ]+ +inet /) {
    brd = "-"; label = $2
    if ($5 == "brd") brd = $6
    for (i = 5; i <= NF; i++) if ($i ~ /\\$/) { label = substr($i, 1, length($i) - 1); break }
    own("A " $2 " " $4 " " brd " " label); ADDR[$2 " " $4] = label
    return
  }
  if ($0 ~ /^[0-9]+:\t/) {
    p = $1; sub(/:$/, "", p)
    if (p + 0 >= PWMIN && p + 0 <= PWMAX) { own("R " fam " " $0); RULE[fam " " $0] = 1 }
    return
  }
  sub(/ +$/, "")
  for (i = 1; i < NF; i++) if ($i == "table" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) + 0 >= TWMIN && $(i + 1) + 0 <= TWMAX) {
    own("T " fam " " $0); ROUTE[fam " " $0] = 1
    # a route type (unreachable, or 7 under -N) comes before the destination
    d = $1 ~ /^([0-9]+|unicast|local|broadcast|multicast|unreachable|prohibit|blackhole|throw|anycast)$/ ? $2 : $1
    if ($(i + 2) == "proto" && $(i + 3) == PROTO) OWNROUTE[fam " " $(i + 1) " " d] = 1
    break
  }
}
function block(arr, n,   i) { for (i = 1; i <= n; i++) print arr[i] }
# links: DEVNAME from /proc/net/dev (the exact names: they hold neither ":" nor spaces), ATNAME (what
# a name with "@" is cut to), then MACIF (MAC → the one plain link carrying it) and ENSLAVED
function links(   name, k, mac) {
  while ((getline name < NETDEV) > 0) if (name ~ /:/) { sub(/^ +/, "", name); sub(/:.*/, "", name); DEVNAME[name] = 1; if (name ~ /@/) { sub(/@.*/, "", name); ATNAME[name] = 1 } }
  close(NETDEV)
  for (k in LINKMAC) if (!(k in BRIDGE)) { mac = LINKMAC[k]; if (k in MASTER) ENSLAVED[mac] = 1; else if (mac in MACIF) MACIF[mac] = ""; else MACIF[mac] = k }
}
function finish(   i) {
  # translate validates first, in this run: no line is translated unless every line passed
  if (MODE == "validate" || MODE == "translate") validate()
  if (MODE == "validate") { print (refused ? REFUSAL : "OK"); return }
  if (MODE == "owned") { block(STATE, nstate); return }
  links()
  if (MODE == "translate" && !refused) for (i = 2; i <= nlines && !refused; i++) translate(i, LINES[i])
  if (refused) misc(REFUSAL)
  printf "%9d %9d %9d %9d %9d %9d %9d\n", n4 + r4, n6, l4, lr4, l6, lstate, lmisc
  block(B4, n4); block(R4, r4); block(B6, n6); block(STATE, nstate); block(MISC, nmisc)
  # a last line: command substitution drops trailing newlines, which must not shorten a block
  print "=="
}
BEGIN {
  refused = inplan = nlines = n4 = r4 = n6 = nstate = nmisc = l4 = lr4 = l6 = lstate = lmisc = sysctls = connmarks = 0
  REFUSAL = section = ""
  split("", LINKMAC)
  # the kernel's list of link names; a test or the linter may name another file
  if (NETDEV == "") NETDEV = "/proc/net/dev"
}
$0 == "==plan" && !inplan { inplan = 1; next }
inplan { LINES[++nlines] = $0; next }
/^==/ { section = $0; next }
section == "==ip4" { observe("4"); next }
section == "==ip6" { observe("6"); next }
section == "==sysctl" { SVM = $1; next }
END { finish() }
