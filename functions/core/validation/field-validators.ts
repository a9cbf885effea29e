import type { Family } from '../model/observed-host';
import { type Cidr, hasZeroHostBits, parseCidr } from './cidr';
import { canonicalIpv6, ipv4ToInt } from './ip-address';
import { InvalidValueError } from './invalid-value-error';

/** Every validator here throws InvalidValueError; both parsers and parse-plan-lines use them. */
export const MAC_PATTERN = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
// The agent's own limit (docs/agent-protocol.md); Linux allows more, but nothing eni-pbr can route needs it.
export const IFNAME_PATTERN = /^[A-Za-z0-9_.-]{1,15}$/;

export function validateMac(field: string, value: unknown): string {
  const text = validateString(field, value, 17);
  const lower = text.toLowerCase();
  if (!MAC_PATTERN.test(lower)) throw new InvalidValueError(field, 'not a MAC address', value);
  return lower;
}

export function validateIfname(field: string, value: unknown): string {
  const text = validateString(field, value, 15);
  if (!IFNAME_PATTERN.test(text)) throw new InvalidValueError(field, 'not an interface name', value);
  return text;
}

export function validateAwsId(field: string, value: unknown, prefix: 'eni' | 'subnet' | 'vpc' | 'i'): string {
  const text = validateString(field, value, 32);
  if (!new RegExp(`^${prefix}-[0-9a-f]{8,17}$`).test(text)) throw new InvalidValueError(field, `not a ${prefix}- id`, value);
  return text;
}

export function validateIpv4(field: string, value: unknown): string {
  const text = validateString(field, value, 15);
  if (ipv4ToInt(text) === null) throw new InvalidValueError(field, 'not an IPv4 address', value);
  return text;
}

export function validateIpv6(field: string, value: unknown): string {
  const text = validateString(field, value, 45);
  const canonical = canonicalIpv6(text);
  if (canonical === null) throw new InvalidValueError(field, 'not an IPv6 address', value);
  return canonical;
}

export function validateIp(field: string, value: unknown): { readonly family: Family; readonly address: string } {
  const text = validateString(field, value, 45);
  return ipv4ToInt(text) !== null ? { family: 4, address: text } : { family: 6, address: validateIpv6(field, text) };
}

/** A network CIDR (host bits zero) of the given family, or of either when family is omitted. */
export function validateCidr(field: string, value: unknown, family?: Family, options: { allowBare?: boolean; allowHostBits?: boolean } = {}): Cidr {
  const text = validateString(field, value, 49);
  const cidr = parseCidr(text, options.allowBare ?? false);
  if (cidr === null || (family !== undefined && cidr.family !== family)) {
    throw new InvalidValueError(field, `not an IPv${family ?? '4/6'} CIDR`, value);
  }
  if (!options.allowHostBits && !hasZeroHostBits(cidr)) throw new InvalidValueError(field, 'host bits set', value);
  return cidr;
}

export function validateString(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidValueError(field, 'not a string', value);
  if (value.length > maxLength) throw new InvalidValueError(field, `longer than ${maxLength} characters`, value);
  return value;
}

export function validateInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidValueError(field, `not an integer in ${min}–${max}`, typeof value === 'number' ? String(value) : value);
  }
  return value;
}
