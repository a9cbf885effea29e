import { OWN_LINK_GROUP } from '../defaults';
import type { Family } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import { formatCidr } from '../validation/cidr';
import { validateCidr, validateIp } from '../validation/field-validators';
import { InvalidValueError } from '../validation/invalid-value-error';
import { InvalidPlanLineError } from './invalid-plan-line-error';
import type { PlanRanges } from './plan-header';
import { parseRuleTail } from './parse-rule-tail';
import { expectCount, expectWord, familyOf, inRange, mac, markValue, networkCidr } from './plan-tokens';

/** Longest plan line: a connmark line names every marked ENI, ~30 characters each. */
export const PLAN_LINE_MAX_CHARS = 8192;
const LINE_CHARACTERS = /^[A-Za-z0-9 .:/=_-]+$/; // upper case only ever appears in an iifname

/** One operation line, validated as strictly as the agent validates it. */
export function parseOperationLine(line: string, number: number, ranges: PlanRanges): PlanOperation {
  const fail = (reason: string, cause?: unknown): never => {
    throw new InvalidPlanLineError(number, reason, cause === undefined ? undefined : { cause });
  };
  if (line.length > PLAN_LINE_MAX_CHARS || !LINE_CHARACTERS.test(line)) fail('unexpected characters or length');
  const tokens = line.split(' ');
  if (tokens.some((token) => token === '')) fail('fields must be separated by exactly one space');
  try {
    return parseTokens(tokens, ranges) ?? fail(`unknown operation "${tokens.slice(0, 2).join(' ')}"`);
  } catch (error) {
    if (error instanceof InvalidValueError) return fail(error.message, error);
    throw error;
  }
}

function parseTokens(tokens: readonly string[], ranges: PlanRanges): PlanOperation | null {
  const [verb, action] = tokens;
  if (verb === 'addr' && (action === 'add' || action === 'del')) {
    expectCount(tokens, 4);
    const parsed = validateCidr('address', tokens[3], 4, { allowHostBits: true });
    const cidr = formatCidr(parsed);
    if (cidr !== tokens[3]) throw new InvalidValueError('address', 'not in canonical form', tokens[3]);
    if (parsed.prefixlen === 0) throw new InvalidValueError('address', 'an address needs a prefix of 1-32', tokens[3]);
    return { kind: action === 'add' ? 'addr-add' : 'addr-del', mac: mac(tokens[2]), cidr };
  }
  if (verb === 'link' && action === 'group') {
    expectCount(tokens, 4);
    if (tokens[3] !== '0' && tokens[3] !== String(OWN_LINK_GROUP)) throw new InvalidValueError('group', `not 0 or ${OWN_LINK_GROUP}`, tokens[3]);
    return { kind: 'link-group', mac: mac(tokens[2]), group: Number(tokens[3]) };
  }
  if (verb === 'route' && action === 'replace') return parseRouteReplace(tokens, ranges);
  if (verb === 'route' && action === 'del') {
    expectCount(tokens, 5);
    const family = familyOf(tokens[2]);
    return { kind: 'route-del', family, table: inRange('table', tokens[3], ranges.tableRange), dst: destination(tokens[4], family) };
  }
  if (verb === 'rule' && (action === 'add' || action === 'del')) return parseRuleTail(action, tokens, ranges);
  if (verb === 'sysctl') {
    expectCount(tokens, 3);
    if (tokens[1] !== 'net.ipv4.conf.all.src_valid_mark') throw new InvalidValueError('sysctl', 'not a sysctl eni-pbr sets', tokens[1]);
    if (tokens[2] !== '0' && tokens[2] !== '1') throw new InvalidValueError('sysctl value', 'not 0 or 1', tokens[2]);
    return { kind: 'sysctl-set', key: 'net.ipv4.conf.all.src_valid_mark', value: tokens[2] === '1' ? 1 : 0 };
  }
  if (verb === 'connmark') return parseConnmark(tokens);
  return null;
}

function parseRouteReplace(tokens: readonly string[], ranges: PlanRanges): PlanOperation {
  const family = familyOf(tokens[2]);
  const table = inRange('table', tokens[3], ranges.tableRange);
  // `default via …`, or a subnet via the router (the unmanaged primary's narrow table); a default has one
  if (tokens[4] === 'default' || tokens.length === 9) {
    expectCount(tokens, 9);
    expectWord(tokens, 5, 'via');
    expectWord(tokens, 7, 'dev');
    const via = validateIp('via', tokens[6]);
    if (via.family !== family || via.address !== tokens[6]) throw new InvalidValueError('via', `not a canonical IPv${family} address`, tokens[6]);
    return { kind: 'route-replace', family, table, dst: destination(tokens[4], family), via: via.address, mac: mac(tokens[8]) };
  }
  expectCount(tokens, 7);
  expectWord(tokens, 5, 'dev');
  return { kind: 'route-replace', family, table, dst: destination(tokens[4], family), mac: mac(tokens[6]) };
}

function parseConnmark(tokens: readonly string[]): PlanOperation {
  const mask = markValue('mask', tokens[1]);
  const marks = tokens.slice(2).map((pair) => {
    const [macText, markText, extra] = pair.split('=');
    if (extra !== undefined) throw new InvalidValueError('connmark pair', 'not <mac>=<mark>', pair);
    const mark = markValue('mark', markText);
    if ((mark & ~mask) !== 0) throw new InvalidValueError('mark', 'has bits outside the mask', markText);
    return { mac: mac(macText), mark };
  });
  if (new Set(marks.map((entry) => entry.mac)).size !== marks.length) throw new InvalidValueError('connmark', 'a MAC appears twice', tokens.join(' '));
  if (new Set(marks.map((entry) => entry.mark)).size !== marks.length) throw new InvalidValueError('connmark', 'a mark appears twice', tokens.join(' '));
  return { kind: 'connmark-replace', mask, marks };
}

function destination(token: string | undefined, family: Family): string {
  return token === 'default' ? 'default' : networkCidr('destination', token, family);
}
