import type { Family, ObservedRule } from '../model/observed-host';
import { formatCidr } from '../validation/cidr';
import { validateCidr, validateInteger, validateString } from '../validation/field-validators';
import { readKernelIfname } from '../validation/kernel-names';
import { InvalidValueError } from '../validation/invalid-value-error';
import type { IpJsonEntry } from './inspect-schemas';
import { canonicalProtocol, canonicalTable } from './iproute-names';

/** Keys of `ip -j rule` output eni-pbr models; any other selector (to, tos, not, uidrange…) makes a rule "other". */
const MODELLED_KEYS = new Set(['priority', 'src', 'srclen', 'iif', 'iif_detached', 'fwmark', 'fwmask', 'table', 'protocol', 'suppress_prefixlen', 'suppress_ifgroup']);
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/; // a number, or a name from rt_tables
const PROTOCOL_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/; // a number, or a name from rt_protos
const HEX_MARK = /^0x[0-9a-fA-F]{1,8}$/;

export function parseRules(entries: readonly IpJsonEntry[], family: Family, section: string): ObservedRule[] {
  return entries.map((entry, index) => parseRule(entry, family, `${section}[${index}]`));
}

function parseRule(entry: IpJsonEntry, family: Family, at: string): ObservedRule {
  const other = Object.keys(entry).some((key) => !MODELLED_KEYS.has(key));
  const rule: {
    -readonly [K in keyof ObservedRule]: ObservedRule[K];
  } = { family, priority: validateInteger(`${at}.priority`, entry.priority, 0, 2 ** 32 - 1), table: '', other };
  if (entry.src !== undefined && entry.src !== 'all') {
    const length = entry.srclen === undefined ? (family === 4 ? 32 : 128) : validateInteger(`${at}.srclen`, entry.srclen, 0, family === 4 ? 32 : 128);
    rule.src = formatCidr(validateCidr(`${at}.src`, `${validateString(`${at}.src`, entry.src, 45)}/${length}`, family, { allowHostBits: true }));
  }
  if (entry.iif !== undefined) rule.iif = readKernelIfname(`${at}.iif`, entry.iif);
  if ('iif_detached' in entry) rule.iifDetached = true;
  if (entry.fwmark !== undefined) rule.fwmark = readMark(`${at}.fwmark`, entry.fwmark);
  if (entry.fwmask !== undefined) rule.fwmask = readMark(`${at}.fwmask`, entry.fwmask);
  if (entry.table !== undefined) rule.table = canonicalTable(readToken(`${at}.table`, entry.table, TABLE_PATTERN));
  else rule.other = true; // goto, nop and action rules (unreachable, prohibit, blackhole) have no table
  if (entry.protocol !== undefined) rule.protocol = canonicalProtocol(readToken(`${at}.protocol`, entry.protocol, PROTOCOL_PATTERN));
  if (entry.suppress_prefixlen !== undefined) rule.suppressPrefixlength = validateInteger(`${at}.suppress_prefixlen`, entry.suppress_prefixlen, 0, 128);
  if (entry.suppress_ifgroup !== undefined) {
    const group = readLinkGroup(`${at}.suppress_ifgroup`, entry.suppress_ifgroup);
    if (group === undefined) rule.other = true; // a group named in /etc/iproute2/group: not eni-pbr's
    else rule.suppressIfgroup = group;
  }
  return rule;
}

/** An interface group as ip prints it: a number (`ip -N`), "default" (0), or a name from /etc/iproute2/group (undefined). */
export function readLinkGroup(field: string, value: unknown): number | undefined {
  const text = readToken(field, value, /^[A-Za-z0-9_.-]{1,32}$/);
  if (text === 'default') return 0;
  if (!/^\d{1,10}$/.test(text)) return undefined;
  return validateInteger(field, Number(text), 0, 2 ** 32 - 1);
}

export function readMark(field: string, value: unknown): number {
  const text = validateString(field, value, 10);
  if (!HEX_MARK.test(text)) throw new InvalidValueError(field, 'not a hex mark', value);
  return parseInt(text, 16);
}

export function readToken(field: string, value: unknown, pattern: RegExp): string {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : validateString(field, value, 32);
  if (!pattern.test(text)) throw new InvalidValueError(field, 'unexpected characters', value);
  return text;
}
