# The plan grammar (docs/agent-protocol.md, Plan): every line of a plan is checked here before any is
# translated, against no host state. Loaded ahead of plan.awk (the agent runs both as one program);
# test/agent-protocol/plan-grammar-agreement.test.ts runs the pair with MODE=validate directly.
# Set by the agent (-v): TWMIN TWMAX PWMIN PWMAX (its table and priority windows), MAXLINES, LINEMAX, GROUP
# (the ENI links' interface group; compared as text: "0224" is not 224).
# POSIX awk (mawk): no {1,3} intervals, no bit functions; values above 2^31 never reach %d or %x.
BEGIN { GROUP = GROUP "" }
function refuse(n, why) { if (!refused) { refused = 1; REFUSAL = "REFUSE " n " " why } }
function isdec(s, lo, hi) { return s ~ /^(0|[1-9][0-9]*)$/ && length(s) <= 10 && s + 0 >= lo && s + 0 <= hi }
function ismac(s) { return length(s) == 17 && s ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])(:[0-9a-f][0-9a-f])$/ }
function isifname(s) { return length(s) >= 1 && length(s) <= 15 && s !~ /[^A-Za-z0-9_.-]/ }
function ishex(s) { return length(s) >= 3 && length(s) <= 10 && s ~ /^0x[0-9a-f]+$/ }
function hexval(s,   i, v) { v = 0; for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
# 0x0007f → 0x7f as ip prints it (not sprintf %x: some mawk builds clamp values above 2^31)
function hexnorm(s) { s = substr(s, 3); sub(/^0+/, "", s); return "0x" (s == "" ? "0" : s) }
function bit(v, i) { return int(v / 2 ^ i) % 2 }
# mark and mask are hex, non-zero, and the mark has no bit outside the mask
function markok(mark, mask,   i, m, k) {
  if (!ishex(mark) || !ishex(mask)) return 0
  m = hexval(mark); k = hexval(mask)
  if (m == 0 || k == 0) return 0
  for (i = 0; i < 32; i++) if (bit(m, i) && !bit(k, i)) return 0
  return 1
}
function ipv4(s,   o, i) {
  if (length(s) > 15 || s !~ /^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$/) return 0
  split(s, o, "[.]"); V4 = 0
  for (i = 1; i <= 4; i++) { if (!isdec(o[i], 0, 255)) return 0; V4 = V4 * 256 + o[i] }
  return 1
}
# fills G[1..8]; strict lower-case hex, at most one "::", no dotted-quad tail
function ipv6(s,   k, head, tail, h, t, nh, nt, i) {
  if (length(s) < 2 || length(s) > 39 || s ~ /[^0-9a-f:]/ || s ~ /:::/) return 0
  k = index(s, "::")
  if (k) {
    head = substr(s, 1, k - 1); tail = substr(s, k + 2)
    if (index(tail, "::") || head ~ /^:/ || tail ~ /:$/) return 0
    nh = head == "" ? 0 : split(head, h, ":"); nt = tail == "" ? 0 : split(tail, t, ":")
    if (nh + nt > 7) return 0
    for (i = 1; i <= 8; i++) G[i] = "0"
    for (i = 1; i <= nh; i++) G[i] = h[i]
    for (i = 1; i <= nt; i++) G[8 - nt + i] = t[i]
  } else {
    if (s ~ /^:/ || s ~ /:$/ || split(s, h, ":") != 8) return 0
    for (i = 1; i <= 8; i++) G[i] = h[i]
  }
  for (i = 1; i <= 8; i++) { if (G[i] == "" || length(G[i]) > 4) return 0; G[i] = hexval("0x" G[i]) }
  # one text per address, as iproute2 prints it and the core writes it (RFC 5952)
  return ipv6text() == s
}
# ipv6text: G[1..8] in RFC 5952 form: no leading zeros, the first longest run of two or more zero groups
# as "::"
function ipv6text(   i, run, start, best, bestlen, out) {
  run = bestlen = 0
  for (i = 1; i <= 8; i++) {
    if (G[i] != 0) { run = 0; continue }
    if (run++ == 0) start = i
    if (run > bestlen) { bestlen = run; best = start }
  }
  out = ""
  for (i = 1; i <= 8; i++) {
    if (bestlen >= 2 && i == best) { out = out "::"; i += bestlen - 1; continue }
    out = out (out == "" || out ~ /:$/ ? "" : ":") sprintf("%x", G[i])
  }
  return out
}
function ip(fam, s) { return fam == "4" ? ipv4(s) : ipv6(s) }
# zero: the host part must be zero too (routes and rules name networks)
function cidr(fam, s, zero,   k, a, len, i, b) {
  k = index(s, "/"); if (!k) return 0
  a = substr(s, 1, k - 1); len = substr(s, k + 1)
  if (!isdec(len, 0, fam == "4" ? 32 : 128)) return 0
  len += 0
  if (fam == "4") { if (!ipv4(a)) return 0; return !zero || len == 32 || V4 % 2 ^ (32 - len) == 0 }
  if (!ipv6(a)) return 0
  if (!zero) return 1
  for (i = 1; i <= 8; i++) {
    b = len - 16 * (i - 1)
    if (b <= 0) { if (G[i] != 0) return 0 } else if (b < 16) { if (G[i] % 2 ^ (16 - b) != 0) return 0 }
  }
  return 1
}
function intables(s) { return isdec(s, TMIN, TMAX) }
function inprefs(s) { return isdec(s, PMIN, PMAX) }
function header(s,   r, t, p) {
  if (s !~ /^eni-pbr-plan 1 tables=[0-9]+-[0-9]+ prefs=[0-9]+-[0-9]+$/) return refuse(1, "not an eni-pbr-plan 1 header")
  split(s, r, " "); split(substr(r[3], 8), t, "-"); split(substr(r[4], 7), p, "-")
  if (!isdec(t[1], TWMIN, TWMAX) || !isdec(t[2], t[1], TWMAX)) return refuse(1, "table range outside " TWMIN "-" TWMAX)
  if (!isdec(p[1], PWMIN, PWMAX) || !isdec(p[2], p[1], PWMAX)) return refuse(1, "priority range outside " PWMIN "-" PWMAX)
  TMIN = t[1] + 0; TMAX = t[2] + 0; PMIN = p[1] + 0; PMAX = p[2] + 0
}
# the selector of a rule line: f[5] onwards, nf fields in all
function ruleok(n, f, nf,   fam, verb, mm) {
  fam = f[3]; verb = f[2]
  if (nf == 8 && f[5] == "from" && f[7] == "table" && f[8] != "main") return cidr(fam, f[6], 1) && intables(f[8]) || refuse(n, "bad rule source or table")
  if (nf == 10 && f[5] == "from" && f[7] == "iif" && f[8] == "lo" && f[9] == "table") return cidr(fam, f[6], 1) && intables(f[10]) || refuse(n, "bad rule source or table")
  if (nf == 8 && f[5] == "fwmark" && f[7] == "table") {
    if (fam != "4" || !intables(f[8]) || split(f[6], mm, "/") != 2 || !markok(mm[1], mm[2])) return refuse(n, "bad fwmark rule")
    return 1
  }
  if (nf == 8 && f[5] == "iif" && verb == "add" && f[7] == "table" && f[8] == "main") return ismac(f[6]) || refuse(n, "bad iif rule")
  if (nf == 8 && f[5] == "iifname" && verb == "del" && f[7] == "table" && f[8] == "main") return isifname(f[6]) || refuse(n, "bad iifname rule")
  if (nf == 8 && f[5] == "suppress-ifgroup" && f[6] == GROUP && f[7] == "table" && f[8] == "main") return 1
  return refuse(n, "unknown rule form")
}
function connmarkok(n, f, nf,   i, pair, seenmac, seenmark, mask, mac, mark) {
  mask = f[2]
  if (!ishex(mask) || hexval(mask) == 0) return refuse(n, "bad connmark mask")
  for (i = 3; i <= nf; i++) {
    if (split(f[i], pair, "=") != 2 || !ismac(pair[1]) || !markok(pair[2], mask)) return refuse(n, "bad connmark pair " f[i])
    mac = pair[1]; mark = hexval(pair[2])
    if ((mac in seenmac) || (mark in seenmark)) return refuse(n, "duplicate connmark MAC or mark")
    seenmac[mac] = 1; seenmark[mark] = 1
  }
  return 1
}
function lineok(n, s,   f, nf, op) {
  if (length(s) > LINEMAX) return refuse(n, "longer than " LINEMAX " characters")
  if (s == "" || s ~ /[^A-Za-z0-9 .\/:=_-]/) return refuse(n, "characters outside the plan alphabet")
  if (s ~ /^ / || s ~ / $/ || s ~ /  /) return refuse(n, "fields must be separated by single spaces")
  nf = split(s, f, " "); op = f[1] " " f[2]
  if (op == "addr add" || op == "addr del") {
    if (nf != 4 || !ismac(f[3]) || !cidr(4, f[4], 0) || f[4] ~ /\/0$/) return refuse(n, "bad address operation")
  } else if (op == "route replace") {
    if ((f[3] != "4" && f[3] != "6") || !intables(f[4])) return refuse(n, "bad route family or table outside the plan range")
    if (nf == 7 && f[6] == "dev") { if (!cidr(f[3], f[5], 1) || !ismac(f[7])) return refuse(n, "bad route") }
    else if (nf == 9 && f[6] == "via" && f[8] == "dev") { if ((f[5] != "default" && !cidr(f[3], f[5], 1)) || !ip(f[3], f[7]) || !ismac(f[9])) return refuse(n, "bad route via a router") }
    else return refuse(n, "unknown route form")
  } else if (op == "route del") {
    if (nf != 5 || (f[3] != "4" && f[3] != "6") || !intables(f[4])) return refuse(n, "bad route deletion")
    if (f[5] != "default" && !cidr(f[3], f[5], 1)) return refuse(n, "bad route destination")
  } else if (op == "rule add" || op == "rule del") {
    if ((f[3] != "4" && f[3] != "6") || !inprefs(f[4])) return refuse(n, "bad rule family or priority outside the plan range")
    return ruleok(n, f, nf)
  } else if (op == "link group") {
    if (nf != 4 || !ismac(f[3]) || (f[4] != GROUP && f[4] != "0")) return refuse(n, "bad link group")
  } else if (op == "sysctl net.ipv4.conf.all.src_valid_mark") {
    if (nf != 3 || (f[3] != "0" && f[3] != "1")) return refuse(n, "bad sysctl value")
    if (sysctls++) return refuse(n, "more than one sysctl line")
  } else if (f[1] == "connmark") {
    if (connmarks++) return refuse(n, "more than one connmark line")
    return connmarkok(n, f, nf)
  } else return refuse(n, "unknown operation")
  return 1
}
# validate: LINES[1..nlines] against the grammar; the first refusal is kept in REFUSAL
function validate(   i) {
  if (nlines == 0) refuse(1, "empty plan")
  else if (nlines > MAXLINES) refuse(0, "more than " MAXLINES " lines")
  else { header(LINES[1]); for (i = 2; i <= nlines && !refused; i++) lineok(i, LINES[i]) }
}
