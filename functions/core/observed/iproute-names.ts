/**
 * The agent inspects with `ip -N` so that names an administrator gave in /etc/iproute2/rt_tables or
 * rt_protos (a table 20001 called "eth1", protocol 224 called "eni-pbr") cannot hide eni-pbr's own
 * pieces; `ip -N` then prints the kernel's numbers for everything. The core reasons with iproute2's
 * standard names for the few it knows, and with numbers for the rest — both spellings map to one.
 */
const TABLES: Readonly<Record<string, string>> = { '253': 'default', '254': 'main', '255': 'local' };

// include/uapi/linux/rtnetlink.h RTPROT_*
const PROTOCOLS: Readonly<Record<string, string>> = {
  '0': 'unspec', '1': 'redirect', '2': 'kernel', '3': 'boot', '4': 'static', '8': 'gated', '9': 'ra', '10': 'mrt',
  '11': 'zebra', '12': 'bird', '13': 'dnrouted', '14': 'xorp', '15': 'ntk', '16': 'dhcp', '17': 'mrouted',
  '18': 'keepalived', '42': 'babel', '99': 'openr', '186': 'bgp', '187': 'isis', '188': 'ospf', '189': 'rip', '192': 'eigrp',
};

// RT_SCOPE_*
const SCOPES: Readonly<Record<string, string>> = { '0': 'global', '200': 'site', '253': 'link', '254': 'host', '255': 'nowhere' };

// RTN_*
const ROUTE_TYPES: Readonly<Record<string, string>> = {
  '1': 'unicast', '2': 'local', '3': 'broadcast', '4': 'anycast', '5': 'multicast', '6': 'blackhole',
  '7': 'unreachable', '8': 'prohibit', '9': 'throw', '10': 'nat', '11': 'xresolve',
};

// Own keys only: a table or protocol spelled "constructor" or "__proto__" (a name from rt_tables, or a
// hostile document) must come back as that text, not as Object.prototype's function or object.
const lookUp = (names: Readonly<Record<string, string>>, text: string): string => (Object.hasOwn(names, text) ? (names[text] ?? text) : text);

export const canonicalTable = (table: string): string => lookUp(TABLES, table);
export const canonicalProtocol = (protocol: string): string => lookUp(PROTOCOLS, protocol);
export const canonicalScope = (scope: string): string => lookUp(SCOPES, scope);
export const canonicalRouteType = (type: string): string => lookUp(ROUTE_TYPES, type);
