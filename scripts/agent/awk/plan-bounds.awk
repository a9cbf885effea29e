# What a line that adds may mean (docs/agent-protocol.md, Meaning; issue 14): only what EC2 facts can
# produce. The grammar alone let `from 0.0.0.0/0`, `addr add <mac> 169.254.169.254/32` or `default via
# 0.0.0.0` through. Deletions are not bounded: they match only protocol 224 or the address label.
# functions/core/plan-lines/plan-bounds.ts is the same rule in TypeScript; the grammar fixture holds both.
# Loaded after plan-grammar.awk, whose cidr()/ip() leave the address in V4 (IPv4) or G[1..8] (IPv6).

# IPv4 ranges no VPC can hold (RFC 6890): 0/8, 127/8, 169.254/16 (IMDS, DNS, NTP), 224/4 and 240/4.
function v4special(v) { return v < 16777216 || int(v / 16777216) == 127 || int(v / 65536) == 43518 || v >= 3758096384 }
# EC2 IPv6 addresses: global unicast 2000::/3 or unique-local fc00::/7 (G[1] is the first group)
function v6unicast() { return (G[1] >= 8192 && G[1] < 16384) || (G[1] >= 64512 && G[1] < 65024) }
function prefixlen(s) { return substr(s, index(s, "/") + 1) + 0 }
# addr add: a /16-/28 subnet's prefix length; not the network, .1 router, .2 DNS, .3 reserved or broadcast
function addrbound(s,   len, off) {
  len = prefixlen(s)
  if (len < 16 || len > 28) return 0
  if (v4special(V4)) return 0
  off = V4 % pow2(32 - len)
  return off > 3 && off != pow2(32 - len) - 1
}
# route replace <cidr>: an IPv4 /16-/28 VPC subnet, or an IPv6 /64 (every EC2 IPv6 subnet's size)
function routebound(fam, s,   len) {
  len = prefixlen(s)
  if (fam == "6") return len == 64 && v6unicast()
  return len >= 16 && len <= 28 && !v4special(V4)
}
# default via: the VPC router (base + 1 of a /16-/28 subnet ends in binary 0001), or a link-local IPv6 router
function gwbound(fam) {
  if (fam == "6") return G[1] >= 65152 && G[1] < 65216
  return !v4special(V4) && V4 % 16 == 1
}
# rule add from: with iif lo a whole /16-/28 subnet; without, one address or a delegated /28
function frombound(fam, s, lo,   len) {
  len = prefixlen(s)
  if (fam == "6") return !lo && len == 128 && v6unicast()
  if (v4special(V4)) return 0
  return lo ? len >= 16 && len <= 28 : len == 32 || len == 28
}
