# The restore program: "==old"/"==new" owned states (plan.awk's "A"/"G"/"R"/"T" lines), "==batch" (the
# ip -4 batch that ran: the link groups it set) → what puts the old state back: "A" lines (link groups,
# then addresses: they take their routes along), then "B4"/"B6" routes, then rules. Listing-only flags
# are dropped and numeric types named (the listings are ip -N).
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
    out = out (out == "" ? "" : " ") t
  }
  return out
}
function address(verb, s,   a, out) {
  split(s, a, " "); out = "A address " verb " " a[3]
  if (verb == "add" && a[4] != "-") out = out " brd " a[4]
  out = out " dev " a[2]
  if (verb == "add" && a[5] != a[2]) out = out " label " a[5]
  print out
}
function finish(   i, a) {
  # only a group the batch changed goes back: another tool may have moved another link meanwhile
  for (i = 1; i <= no; i++) if (OL[i] ~ /^G / && !(OL[i] in NEW)) { split(OL[i], a, " "); if (a[2] in TOUCHED) print "A link set dev " a[2] " group " a[3] }
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^A / && !(NL[i] in OLD)) address("del", NL[i])
  for (i = 1; i <= no; i++) if (OL[i] ~ /^A / && !(OL[i] in NEW)) address("add", OL[i])
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^T / && !(NL[i] in OLD)) print "B" substr(NL[i], 3, 1) " route del " route_args(substr(NL[i], 5))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^T / && !(OL[i] in NEW)) print "B" substr(OL[i], 3, 1) " route add " route_args(substr(OL[i], 5))
  for (i = 1; i <= nn; i++) if (NL[i] ~ /^R / && !(NL[i] in OLD)) print "B" substr(NL[i], 3, 1) " rule del " rule_args(substr(NL[i], 5))
  for (i = 1; i <= no; i++) if (OL[i] ~ /^R / && !(OL[i] in NEW)) print "B" substr(OL[i], 3, 1) " rule add " rule_args(substr(OL[i], 5))
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
side == 3 { if ($0 ~ /^link set dev /) TOUCHED[$4] = 1; next }
END { finish() }
