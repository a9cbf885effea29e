import type { Family, ObservedRoute } from '../model/observed-host';
import { formatCidr } from '../validation/cidr';
import { validateCidr, validateIpv4, validateIpv6 } from '../validation/field-validators';
import { readKernelIfname } from '../validation/kernel-names';
import type { IpJsonEntry } from './inspect-schemas';
import { canonicalProtocol, canonicalRouteType, canonicalScope, canonicalTable } from './iproute-names';
import { readToken } from './parse-rules';

const WORD_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

/** `ip -j -4|-6 route show table all` → routes; a route without `table` is in main, without `type` unicast. */
export function parseRoutes(entries: readonly IpJsonEntry[], family: Family, section: string): ObservedRoute[] {
  return entries.map((entry, index) => {
    const at = `${section}[${index}]`;
    const route: { -readonly [K in keyof ObservedRoute]: ObservedRoute[K] } = {
      family,
      table: entry.table === undefined ? 'main' : canonicalTable(readToken(`${at}.table`, entry.table, WORD_PATTERN)),
      dst: entry.dst === 'default' ? 'default' : formatCidr(validateCidr(`${at}.dst`, entry.dst, family, { allowBare: true })),
    };
    if (entry.gateway !== undefined) {
      route.gateway = family === 4 ? validateIpv4(`${at}.gateway`, entry.gateway) : validateIpv6(`${at}.gateway`, entry.gateway);
    }
    if (entry.dev !== undefined) route.dev = readKernelIfname(`${at}.dev`, entry.dev);
    if (entry.protocol !== undefined) route.protocol = canonicalProtocol(readToken(`${at}.protocol`, entry.protocol, WORD_PATTERN));
    if (entry.scope !== undefined) route.scope = canonicalScope(readToken(`${at}.scope`, entry.scope, WORD_PATTERN));
    route.type = entry.type === undefined ? 'unicast' : canonicalRouteType(readToken(`${at}.type`, entry.type, WORD_PATTERN));
    return route;
  });
}
