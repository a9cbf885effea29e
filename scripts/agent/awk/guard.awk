# The primary-path guard (docs/agent-protocol.md, Never lock out): reads "==main" (main's IPv4 default
# route), "==addr" and "==link" (ip -o: the primary device's addresses and MAC), "==routes" (every
# IPv4 route, tables as numbers) and "==plan", and prints "OK" or "REFUSE <line> <reason>". A plan may not
# steer the primary address (the source of the instance's own traffic: SSM, the metadata service at
# 169.254.169.254) into a table whose route to 169.254.169.254 leaves by another device or router than
# main's default: with it the instance cannot reach SSM, nor eni-pbr it, again. The grammar already keeps
# main and the local table out of reach (routes only in the plan's tables, rules only to them or main).
# POSIX awk; addresses as numbers below 2^32 (exact in a double).
function num(s,   o) { split(s, o, "."); return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] }
# 2 to the k by products: busybox awk built without math support has no "^"
function pow2(e,   v) { v = 1; while (e-- > 0) v *= 2; return v }
# covers CIDR IP: the IPv4 CIDR ("default", "a.b.c.d" or "a.b.c.d/n") holds the address IP
function covers(c, ip,   p, len) {
  if (c == "default" || c == "all") return 1
  if (split(c, p, "/") == 1) p[2] = 32
  len = p[2] + 0
  if (len == 0) return 1
  return int(num(p[1]) / pow2(32 - len)) == int(num(ip) / pow2(32 - len))
}
function offpath(t, dst, via, d) { if (covers(dst, IMDS) && !(d == PDEV && (via == "" || via == PGW))) OFF[t] = 1 }
BEGIN { IMDS = "169.254.169.254"; PDEV = ""; PGW = ""; PMAC = ""; nprim = 0; n = 0; refused = "" }
/^==/ { section = $1; next }
section == "==main" && $1 == "default" && PDEV == "" {
  for (i = 2; i < NF; i++) { if ($i == "via") PGW = $(i + 1); if ($i == "dev") PDEV = $(i + 1) }
  next
}
section == "==addr" && $3 == "inet" && $0 !~ / secondary / { dev = $2; sub(/@.*/, "", dev); if (dev == PDEV) { split($4, a, "/"); PRIM[++nprim] = a[1] }; next }
section == "==link" { dev = $2; sub(/:$/, "", dev); sub(/@.*/, "", dev); if (dev == PDEV) for (i = 1; i < NF; i++) if ($i == "link/ether") PMAC = $(i + 1); next }
section == "==routes" {
  table = ""; gw = ""; dev = ""
  for (i = 2; i < NF; i++) { if ($i == "table") table = $(i + 1); if ($i == "via") gw = $(i + 1); if ($i == "dev") dev = $(i + 1) }
  if (table != "" && $1 !~ /^(local|broadcast|unreachable|prohibit|blackhole)$/) offpath(table, $1, gw, dev)
  next
}
section == "==plan" {
  n++
  if ($1 == "route" && $2 == "replace" && $3 == "4") {
    # the plan names devices by MAC: the primary's MAC is the primary's device
    if (NF == 9) offpath($4, $5, $7, $9 == PMAC ? PDEV : $9)
    else if (NF == 7) offpath($4, $5, "", $7 == PMAC ? PDEV : $7)
  } else if ($1 == "rule" && $2 == "add" && $3 == "4" && $5 == "from") {
    RSRC[n] = $6; RTAB[n] = $NF
  }
  next
}
END {
  if (PDEV != "") for (l = 1; l <= n && refused == ""; l++) if ((l in RSRC) && (RTAB[l] in OFF))
    for (k = 1; k <= nprim; k++) if (covers(RSRC[l], PRIM[k])) {
      refused = "REFUSE " l " would lock the instance out: traffic from the primary address " PRIM[k] " (" PDEV ") would reach 169.254.169.254 and the SSM endpoints through table " RTAB[l] ", not main's default route via " (PGW == "" ? "-" : PGW) " dev " PDEV
      break
    }
  print refused == "" ? "OK" : refused
}
