import { OWN_LINK_GROUP } from '../defaults';
import type { PlanOperation } from '../model/plan-operation';
import { type Cidr, parseCidr } from '../validation/cidr';
import { InvalidValueError } from '../validation/invalid-value-error';
import { boundSource } from './plan-bounds';
import { expectCount, expectWord, familyOf, ifname, inRange, mac, markValue, networkCidr } from './plan-tokens';
import type { PlanRanges } from './plan-header';

/**
 * `rule add|del <4|6> <pref> <selector> table <table>`. `table main` only with iif/iifname (fact b) and suppress-ifgroup;
 * fwmark rules are IPv4 only, like the marking they serve.
 */
export function parseRuleTail(action: 'add' | 'del', tokens: readonly string[], ranges: PlanRanges): PlanOperation {
  const family = familyOf(tokens[2]);
  const priority = inRange('pref', tokens[3], ranges.priorityRange);
  const selectorWord = tokens[4];
  const localOnly = selectorWord === 'from' && tokens[6] === 'iif';
  expectCount(tokens, localOnly ? 10 : 8);
  expectWord(tokens, tokens.length - 2, 'table');
  const tableToken = tokens[tokens.length - 1];
  const numericTable = (): number => inRange('table', tableToken, ranges.tableRange);
  const mainTable = (): 'main' => {
    if (tableToken !== 'main') throw new InvalidValueError('table', 'iif rules look up main', tableToken);
    return 'main';
  };
  const kind = action === 'add' ? ('rule-add' as const) : ('rule-del' as const);
  if (selectorWord === 'from') {
    const from = networkCidr('from', tokens[5], family);
    if (localOnly) expectWord(tokens, 7, 'lo');
    if (action === 'add') boundSource(family, parseCidr(from) as Cidr, localOnly, from);
    return { kind, family, priority, selector: localOnly ? { from, localOnly } : { from }, table: numericTable() };
  }
  if (selectorWord === 'fwmark') {
    if (family !== 4) throw new InvalidValueError('family', 'fwmark rules are IPv4 only', tokens[2]);
    const [markText, maskText, extra] = (tokens[5] ?? '').split('/');
    if (extra !== undefined) throw new InvalidValueError('fwmark', 'not <mark>/<mask>', tokens[5]);
    const mark = markValue('mark', markText);
    const mask = markValue('mask', maskText);
    if ((mark & ~mask) !== 0) throw new InvalidValueError('fwmark', 'mark has bits outside the mask', tokens[5]);
    return { kind, family, priority, selector: { fwmark: mark, mask }, table: numericTable() };
  }
  if (selectorWord === 'suppress-ifgroup') {
    if (tokens[5] !== String(OWN_LINK_GROUP)) throw new InvalidValueError('suppress-ifgroup', `not ${OWN_LINK_GROUP}`, tokens[5]);
    return { kind, family, priority, selector: { suppressIfgroup: OWN_LINK_GROUP }, table: mainTable() };
  }
  if (selectorWord === 'iif' && action === 'add') return { kind: 'rule-add', family, priority, selector: { iifMac: mac(tokens[5]) }, table: mainTable() };
  if (selectorWord === 'iifname' && action === 'del') return { kind: 'rule-del', family, priority, selector: { iifName: ifname(tokens[5]) }, table: mainTable() };
  throw new InvalidValueError('selector', `not a selector for rule ${action}`, selectorWord);
}
