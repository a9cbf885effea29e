# The restore program: "==old"/"==new" owned states (plan.awk's "A"/"G"/"R"/"T" lines), "==batch" (the
# ip -4 batch that ran: the link groups it set) → what puts the old state back: "A" lines (link groups,
# then addresses: they take their routes along), then "B4"/"B6" routes, then rules. Listing-only flags
# are dropped and numeric types named (the listings are ip -N). Only what the batch changed goes back
# (issue 14): an address it added is deleted, one it deleted re-added — never another tool's. A line
# naming an interface the apply path would refuse (`ip -batch` reads `#` as a comment, `"` as a quote)
# is not run: "X <why>" instead, which counts as a failed restore line.
function safename(s) { return length(s) >= 1 && length(s) <= 15 && s !~ /[^A-Za-z0-9_.:-]/ }
# safeline(s): every interface a route or rule line names (dev, iif, oif) is one the apply path accepts
function safeline(s,   n, f, i) {
  n = split(s, f, " ")
  for (i = 1; i < n; i++) if ((f[i] == "dev" || f[i] == "iif" || f[i] == "oif") && !safename(f[i + 1])) return 0
  return 1
}
function emitline(s) { if (safeline(s)) print s; else print "X an interface name the agent cannot use in: " substr(s, 1, 200) }
function rule_args(s,   n, f, i, out, t) {
  sub(/:\t/, " ", s); gsub(/ \[detached\]/, "", s)
  n = split(s, f, " "); out = "pref " f[1]
  for (i = 2; i <= n; i++) { t = f[i]; if (t ~ /^[0-9]+$/ && !(f[i - 1] in VALUED) && (t in ACTION)) t = ACTION[t]; out = out " " t }
  return out
}
function route_args(s,   n, f, i, out, t) {
  n = split(s, f, " "); out = ""
  for (i = 1; i <= n; i++) {
    if (f[i] in FLAG) continue
    t = f[i]; if (i == 1 && (t in RTN)) t = RTN[t]
    out = (out == "" ? "" : out " ") t
  }
  return out
}
function address(verb, s,   a, out) {
  split(s, a, " ")
  if (!((verb == "add" ? "del " : "add ") a[2] " " a[3] in BATCH)) return
  if (!safename(a[2]) || !safename(a[5])) { print "X an interface name the agent cannot use: " substr(a[2], 1, 40); return }
  out = "A address " verb " " a[3]
  if (verb == "add" && a[4] != "-") out = out " brd " a[4]
  out = out " dev " a[2]
  if (verb == "add" && a[5] != a[2]) out = out " label " a[5]
  print out
}
function finish(   i, a) {
  # only a group the batch changed goes back: another tool may have moved another link meanwhile
  for (i = 1; i <= no; i++) if (OL[i] ~ /^G / && !(OL[i] in NEW)) { split(OL[i], a, " "); if ((a[2] in TOUCHED) && safename(a[2])) print "A link set dev " a[2] " group " a[3] }
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^A / && !(NL[i] in OLD)) address("del", NL[i])
  for (i = 1; i <= no; i++) if (OL[i] ~ /^A / && !(OL[i] in NEW)) address("add", OL[i])
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^T / && !(NL[i] in OLD)) emitline("B" substr(NL[i], 3, 1) " route del " route_args(substr(NL[i], 5)))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^T / && !(OL[i] in NEW)) emitline("B" substr(OL[i], 3, 1) " route add " route_args(substr(OL[i], 5)))
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^R / && !(NL[i] in OLD)) emitline("B" substr(NL[i], 3, 1) " rule del " rule_args(substr(NL[i], 5)))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^R / && !(OL[i] in NEW)) emitline("B" substr(OL[i], 3, 1) " rule add " rule_args(substr(OL[i], 5)))
}
BEGIN {
  no = nn = side = 0
  split("unicast local broadcast anycast multicast blackhole unreachable prohibit throw nat", names, " ")
  for (k = 1; k <= 10; k++) RTN[k ""] = names[k]
  ACTION["6"] = "blackhole"; ACTION["7"] = "unreachable"; ACTION["8"] = "prohibit"
  nv = split("pref priority lookup table proto tos dsfield realms goto suppress_prefixlength suppress_ifgroup ipproto sport dport iif oif", valued, " ")
  for (k = 1; k <= nv; k++) VALUED[valued[k]] = 1
  nv = split("linkdown dead offload trap offload_failed rt_offload rt_trap rt_offload_failed", flags, " ")
  for (k = 1; k <= nv; k++) FLAG[flags[k]] = 1
}
$0 == "==old" { side = 1; next }
$0 == "==new" { side = 2; next }
$0 == "==batch" { side = 3; next }
$0 == "" { next }
side == 1 { OLD[$0] = 1; OL[++no] = $0; next }
side == 2 { NEW[$0] = 1; NL[++nn] = $0; next }
side == 3 {
  if ($0 ~ /^link set dev /) TOUCHED[$4] = 1
  # "address add|del <cidr> dev <if> …": what the batch did to which address
  if ($1 == "address" && ($2 == "add" || $2 == "del") && $4 == "dev") BATCH[$2 " " $5 " " $3] = 1
  next
}
END { finish() }
