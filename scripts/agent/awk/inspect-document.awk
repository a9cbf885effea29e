# The inspect document, printed by awk (bash never copies the listings) from: the text before "links",
# ip_batches (a line per command: test/agent/inspect.test.ts), "==suffix", the text after "routes6".
# No IPv6 lines gives []; other counts exit 3 (inspect exits 7, apply's "after" is null). A document
# longer than THRESHOLD goes through gzip|base64, a constant command (-7 past FASTMAX). SV: the schema.
# DIGEST=1 (apply's after-inspect): the state member's digest first, on a line of its own ("" if none).
# Busybox awk reads "NAME (" as a call to NAME: never concatenate a parenthesis right after a name.
function finish(   s, names, doc, zip) {
  if (n[0] != 3 || n[1] != 2 || (n[2] != 2 && n[2] != 0)) return 3
  s = L[0, 3]; names = ""
  while (match(s, /"ifname":"([^"\\]|\\.)*"/)) { names = (names == "" ? "" : names ",") substr(s, RSTART + 9, RLENGTH - 9); s = substr(s, RSTART + RLENGTH) }
  if (!n[2]) { L[2, 1] = "[]"; L[2, 2] = "[]" }
  doc = prefix "\"links\":" L[0, 2] ",\"bridges\":[" names "],\"addr\":" L[0, 1] ",\"rules4\":" L[1, 1] ",\"rules6\":" L[2, 1] ",\"routes4\":" L[1, 2] ",\"routes6\":" L[2, 2] suffix
  if (length(doc) <= THRESHOLD) { printf "%s", doc; return 0 }
  zip = length(doc) <= FASTMAX ? "gzip -6c | base64 -w0" : "gzip -7c | base64 -w0"
  printf "{\"schemaVersion\":%d,\"encoding\":\"gzip+base64\",\"payload\":\"", SV
  fflush()
  printf "%s", doc | zip
  close(zip)
  printf "\"}"
  return 0
}
BEGIN { g = insuffix = 0; n[0] = n[1] = n[2] = 0; prefix = suffix = "" }
NR == 1 { prefix = $0; next }
$0 == "==suffix" { insuffix = 1; next }
insuffix { suffix = $0; next }
$0 == "==" { g++; next }
{ L[g, ++n[g]] = $0 }
END {
  if (DIGEST) printf "%s\n", match(suffix, /"state":[{]"digest":"[0-9a-f]+"/) ? substr(suffix, RSTART + 19, RLENGTH - 20) : ""
  exit finish()
}
