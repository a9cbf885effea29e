import type { Family } from '../model/observed-host';
import { formatCidr } from '../validation/cidr';
import { IFNAME_PATTERN, MAC_PATTERN, validateCidr } from '../validation/field-validators';
import { InvalidValueError } from '../validation/invalid-value-error';

/** Field readers of the plan grammar (docs/agent-protocol.md); each throws InvalidValueError. */
export function expectCount(tokens: readonly string[], count: number): void {
  if (tokens.length !== count) throw new InvalidValueError('line', `expected ${count} fields, found ${tokens.length}`, tokens.join(' '));
}

export function expectWord(tokens: readonly string[], index: number, word: string): void {
  if (tokens[index] !== word) throw new InvalidValueError(`field ${index + 1}`, `expected "${word}"`, tokens[index]);
}

export function familyOf(token: string | undefined): Family {
  if (token === '4') return 4;
  if (token === '6') return 6;
  throw new InvalidValueError('family', 'not 4 or 6', token);
}

export function mac(token: string | undefined): string {
  if (token === undefined || !MAC_PATTERN.test(token)) throw new InvalidValueError('mac', 'not a lower-case MAC address', token);
  return token;
}

export function ifname(token: string | undefined): string {
  if (token === undefined || !IFNAME_PATTERN.test(token)) throw new InvalidValueError('ifname', 'not an interface name', token);
  return token;
}

export function inRange(field: string, token: string | undefined, range: { min: number; max: number }): number {
  const value = token !== undefined && /^[1-9]\d{0,9}$/.test(token) ? Number(token) : NaN;
  if (!(value >= range.min && value <= range.max)) throw new InvalidValueError(field, `not a number in ${range.min}-${range.max}`, token);
  return value;
}

/** A route's or rule's CIDR: host bits zero, canonical text. */
export function networkCidr(field: string, token: string | undefined, family: Family): string {
  const cidr = formatCidr(validateCidr(field, token, family));
  if (cidr !== token) throw new InvalidValueError(field, 'not in canonical form', token);
  return cidr;
}

export function markValue(field: string, token: string | undefined): number {
  if (token === undefined || !/^0x[0-9a-f]{1,8}$/.test(token)) throw new InvalidValueError(field, 'not 0x + 1–8 lower-case hex digits', token);
  const value = parseInt(token, 16);
  if (value === 0) throw new InvalidValueError(field, 'must not be zero', token);
  return value;
}
