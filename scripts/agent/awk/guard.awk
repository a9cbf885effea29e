# The primary-path guard (docs/agent-protocol.md, Never lock out): reads "==kernel" (ip -4 -o -N:
# links, addresses and every route, tables as numbers; main's routes name no table), "==endpoints"
# (getent ahostsv4 of the region's SSM endpoints; empty off EC2) and "==plan", and prints "OK" or
# "REFUSE <line> <reason>", then after OK the probes of the primary's path ("route get <dst> [from
# <primary address>]"), which apply asks the kernel before and after its change (the post-apply check).
# A plan may not steer the primary address (the source of the instance's own traffic: SSM, the metadata
# service at 169.254.169.254) into a table whose route to the metadata service or to an SSM endpoint
# leaves by another device or router than main's: with it the instance cannot reach SSM, nor eni-pbr it,
# again. The grammar already keeps main and the local table out of reach (routes only in the plan's
# tables, rules only to them or main). POSIX awk; addresses as numbers below 2^32 (exact in a double).
function num(s,   o) { split(s, o, "."); return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] }
# 2 to the k by products: busybox awk built without math support has no "^"
function pow2(e,   v) { v = 1; while (e-- > 0) v *= 2; return v }
function plen(c,   p) { if (c == "default" || c == "all") return 0; if (split(c, p, "/") == 1) return 32; return p[2] + 0 }
# covers CIDR IP: the IPv4 CIDR ("default", "a.b.c.d" or "a.b.c.d/n") holds the address IP
function covers(c, ip,   p, len) {
  len = plen(c)
  if (len == 0) return 1
  split(c, p, "/")
  return int(num(p[1]) / pow2(32 - len)) == int(num(ip) / pow2(32 - len))
}
# route TABLE DST VIA DEVICE: one route of a table the plan may steer into (kernel or plan)
function route(t, dst, via, dv) { NR_T++; TT[NR_T] = t; TD[NR_T] = dst; TV[NR_T] = via; TX[NR_T] = dv }
function what(j) { return j == 1 ? "the metadata service " D[1] : "the SSM endpoint " D[j] }
BEGIN { ND = 1; D[1] = "169.254.169.254"; PDEV = ""; PGW = ""; nprim = 0; NR_M = 0; NR_T = 0; NA = 0; n = 0; refused = "" }
/^==/ { section = $1; next }
# ip -o -N link: "3: eth1@if2: <…> … link/[1] <mac> …" (link/ether without -N); ip -o address:
# "3: eth1    inet a.b.c.d/n …"
section == "==kernel" && $1 ~ /^[0-9]+:$/ {
  dev = $2; sub(/:$/, "", dev); sub(/@.*/, "", dev)
  if ($3 == "inet") { NA++; ADEV[NA] = dev; split($4, a, "/"); AIP[NA] = a[1]; ASEC[NA] = ($0 ~ / secondary /) }
  else for (i = 3; i < NF; i++) if ($i ~ /^link\//) DEVOF[$(i + 1)] = dev
  next
}
section == "==kernel" {
  # a typed route (local, broadcast, unreachable, …; a number with -N) carries no traffic out
  if ($1 ~ /^[0-9]+$/ || $1 ~ /^(local|broadcast|unreachable|prohibit|blackhole|multicast|throw|nat|anycast)$/) next
  table = ""; gw = ""; dev = ""
  for (i = 2; i < NF; i++) { if ($i == "table") table = $(i + 1); if ($i == "via") gw = $(i + 1); if ($i == "dev") dev = $(i + 1) }
  if (table == "") {
    NR_M++; MD[NR_M] = $1; MV[NR_M] = gw; MX[NR_M] = dev
    if ($1 == "default" && PDEV == "") { PDEV = dev; PGW = gw }
  } else route(table, $1, gw, dev)
  next
}
section == "==endpoints" && $2 == "STREAM" && $1 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ && !($1 in SEEN) && ND < 9 { SEEN[$1] = 1; D[++ND] = $1; next }
section == "==plan" {
  n++
  # the plan names devices by MAC
  if ($1 == "route" && $2 == "replace" && $3 == "4") {
    if (NF == 9) route($4, $5, $7, ($9 in DEVOF) ? DEVOF[$9] : $9)
    else if (NF == 7) route($4, $5, "", ($7 in DEVOF) ? DEVOF[$7] : $7)
  } else if ($1 == "rule" && $2 == "add" && $3 == "4" && $5 == "from") {
    RSRC[n] = $6; RTAB[n] = $NF
  }
  next
}
END {
  if (PDEV == "") { print "OK"; exit }
  for (k = 1; k <= NA; k++) if (ADEV[k] == PDEV && !ASEC[k]) PRIM[++nprim] = AIP[k]
  # main's path to each destination: its longest matching route (none: main cannot reach it either)
  for (d = 1; d <= ND; d++) {
    best = -1; EDEV[d] = ""; EVIA[d] = ""
    for (k = 1; k <= NR_M; k++) if (covers(MD[k], D[d]) && plen(MD[k]) > best) { best = plen(MD[k]); EDEV[d] = MX[k]; EVIA[d] = MV[k] }
  }
  # a table is off the path when one of its routes to a destination leaves neither as main's route does
  # nor by the primary's own device and router (the VPC router reaches every subnet)
  for (r = 1; r <= NR_T; r++) for (d = 1; d <= ND; d++) {
    if (EDEV[d] == "" || (TT[r] in OFF) || !covers(TD[r], D[d])) continue
    if (TX[r] == PDEV && (TV[r] == "" || TV[r] == PGW)) continue
    if (TX[r] == EDEV[d] && (TV[r] == "" || TV[r] == EVIA[d])) continue
    OFF[TT[r]] = d
  }
  for (l = 1; l <= n && refused == ""; l++) if ((l in RSRC) && (RTAB[l] in OFF))
    for (k = 1; k <= nprim; k++) if (covers(RSRC[l], PRIM[k])) {
      d = OFF[RTAB[l]]
      refused = "REFUSE " l " would lock the instance out: traffic from the primary address " PRIM[k] " (" PDEV ") would reach " what(d) " through table " RTAB[l] ", not main's route via " (EVIA[d] == "" ? "-" : EVIA[d]) " dev " EDEV[d]
      break
    }
  if (refused != "") { print refused; exit }
  print "OK"
  for (d = 1; d <= ND; d++) {
    print "route get " D[d]
    for (k = 1; k <= nprim; k++) print "route get " D[d] " from " PRIM[k]
  }
}
