# The remove program (docs/agent-protocol.md, Remove): reads the sections list_own prints and prints the
# ip -batch lines that undo what eni-pbr installed, one "4 <line>" or "6 <line>" each: its rules (protocol
# PROTO, priority in PWMIN..PWMAX), its routes (protocol PROTO, table in TWMIN..TWMAX: one flush per
# table), the addresses it labelled "<if>LABEL" (latest first: secondaries before their primary), and the
# ENI links it moved into GROUP (back to group 0, the only group it moves links from).
function inwin(v, lo, hi) { return v ~ /^[0-9]+$/ && v + 0 >= lo && v + 0 <= hi }
BEGIN { naddr = 0 }
/^==/ { section = $1; next }
(section == "==rule4" || section == "==rule6") && index($0, " proto " PROTO) {
  pref = $1; sub(/:$/, "", pref)
  if (inwin(pref, PWMIN, PWMAX)) print substr(section, 7) " rule del pref " pref " proto " PROTO
  next
}
section == "==route4" || section == "==route6" {
  for (i = 1; i < NF; i++) if ($i == "table" && inwin($(i + 1), TWMIN, TWMAX) && !((section, $(i + 1)) in FLUSHED)) {
    FLUSHED[section, $(i + 1)] = 1
    print substr(section, 8) " route flush table " $(i + 1) " proto " PROTO
  }
  next
}
section == "==addr" {
  dev = $2; sub(/@.*/, "", dev)
  # ip -o ends the first part of the line with a backslash (joined to the label, or alone)
  for (i = 4; i <= NF; i++) { label = $i; sub(/\\$/, "", label); if (label == dev LABEL) { ADDR[++naddr] = "4 address del " $4 " dev " dev; break } }
  next
}
section == "==link" { dev = $2; sub(/:$/, "", dev); sub(/@.*/, "", dev); print "4 link set dev " dev " group 0"; next }
END { for (i = naddr; i >= 1; i--) print ADDR[i] }
