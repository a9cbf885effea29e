# Over `nft list ruleset` or `iptables-save`: MODE=inspect prints 1|0 (table inet eni_pbr exists), the
# members markLines, natLines, ownIptables (null unless IPT=1), then (OWN=1) a newline and the own
# state: table inet eni_pbr as `list ruleset` prints it (as `list table` does) or, as MODE=own alone,
# the own mangle lines in iptables-save's order. MAX caps the mark and NAT lines reported.
# Escaping joins pieces: gsub replacements differ across awks.
function join(s, re, by,   n, p, i, out) { n = split(s, p, re); out = p[1]; for (i = 2; i <= n; i++) out = out by p[i]; return out }
function esc(s) { s = join(s, "\\\\", "\\\\"); s = join(s, "\"", "\\\""); s = join(s, "\t", "\\t"); gsub(/[[:cntrl:]]/, "", s); return "\"" s "\"" }
function add(arr, n, s) { return (n ? arr "," : "") esc(s) }
function ownline(s) {
  if (s ~ /^:ENI_PBR_OUT /) DOUT = s
  else if (s ~ /^:ENI_PBR_PRE /) DPRE = s
  else if (s == "-A PREROUTING -j ENI_PBR_PRE") JPRE[++njpre] = s
  else if (s == "-A OUTPUT -j ENI_PBR_OUT") JOUT[++njout] = s
  else if (s ~ /^-A ENI_PBR_OUT /) ROUT[++nrout] = s
  else if (s ~ /^-A ENI_PBR_PRE /) RPRE[++nrpre] = s
}
function finish(   n, i, ipt) {
  n = 0; ipt = ""
  if (DOUT != "") O[++n] = DOUT
  if (DPRE != "") O[++n] = DPRE
  for (i = 1; i <= njpre; i++) O[++n] = JPRE[i]
  for (i = 1; i <= njout; i++) O[++n] = JOUT[i]
  for (i = 1; i <= nrout; i++) O[++n] = ROUT[i]
  for (i = 1; i <= nrpre; i++) O[++n] = RPRE[i]
  if (MODE == "inspect") {
    for (i = 1; i <= n; i++) ipt = add(ipt, i - 1, O[i])
    printf "%d\"markLines\":[%s],\"natLines\":[%s],\"ownIptables\":%s", own, marks, nats, IPT ? "[" ipt "]" : "null"
    if (!OWN) return
    printf "\n"
  }
  for (i = 1; i <= nnft; i++) print NFT[i]
  for (i = 1; i <= n; i++) print O[i]
}
BEGIN { own = innft = nnft = nm = nn = njpre = njout = nrout = nrpre = 0; DOUT = DPRE = tbl = marks = nats = "" }
{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
line == "table inet eni_pbr {" { own = 1; innft = 1 }
innft { NFT[++nnft] = $0; if ($0 == "}") innft = 0 }
/^\*/ { tbl = $0 }
tbl == "*mangle" { ownline(line) }
tolower(line) ~ /mark/ && nm < MAX { marks = add(marks, nm++, line) }
tolower(line) ~ /masquerade|snat|dnat|redirect/ && nn < MAX { nats = add(nats, nn++, line) }
END { finish() }
