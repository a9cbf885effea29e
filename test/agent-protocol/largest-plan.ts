/**
 * The largest plan an instance can need, as text: 15 ENIs (the most any EC2 instance type attaches),
 * each with 50 IPv4 addresses (the most per ENI) of which 4 are delegated /28 prefixes, and 50 IPv6
 * addresses; every address gets its own rule at its ENI's priority (the shared-subnet form, the longest), every ENI its link
 * group, IPv4 and IPv6 routes, an iif rule and a fwmark rule; then the suppress rules, the sysctl and a
 * connmark line marking all 15. Every line passes the plan grammar (parsePlanLines).
 */
import { parsePlanLines } from '../../functions/core/plan-lines/parse-plan-lines';

export const LARGEST = { enis: 15, ipv4PerEni: 50, prefixesPerEni: 4, ipv6PerEni: 50 } as const;
const HEADER = 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999';

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const macOf = (eni: number): string => `0a:5f:3c:9e:${hex2(eni * 7)}:${hex2(0x40 + eni)}`;

export function largestPlanText(): string {
  const lines: string[] = [];
  const rules: string[] = [];
  for (let eni = 0; eni < LARGEST.enis; eni += 1) {
    const mac = macOf(eni);
    const table = 20000 + eni;
    const pref = 22000 + eni; // the planner's band: one priority per ENI, a rule per source in it
    const third = 16 * eni; // 10.1.<16·eni>.0/20 per ENI
    const v6 = `2600:1f18:4a2:${(0xc100 + eni).toString(16)}`;
    lines.push(`link group ${mac} 224`);
    for (let ip = 0; ip < LARGEST.ipv4PerEni - LARGEST.prefixesPerEni; ip += 1) {
      const address = `10.1.${third + Math.floor(ip / 200)}.${(ip * 37) % 200 + 20}`;
      if (ip > 0) lines.push(`addr add ${mac} ${address}/20`);
      rules.push(`rule add 4 ${pref} from ${address}/32 table ${table}`);
    }
    for (let prefix = 0; prefix < LARGEST.prefixesPerEni; prefix += 1) rules.push(`rule add 4 ${pref} from 10.1.${third + 8}.${16 * prefix}/28 table ${table}`);
    for (let ip = 0; ip < LARGEST.ipv6PerEni; ip += 1) rules.push(`rule add 6 ${pref} from ${v6}:${(0x1a2b + 97 * ip).toString(16)}:${(0x3c4d + 31 * ip).toString(16)}:${(0x5e6f + 13 * ip).toString(16)}:${(0x7081 + 7 * ip).toString(16)}/128 table ${table}`);
    lines.push(
      `route replace 4 ${table} 10.1.${third}.0/20 dev ${mac}`,
      `route replace 4 ${table} default via 10.1.${third}.1 dev ${mac}`,
      `route replace 6 ${table} ${v6}::/64 dev ${mac}`,
      `route replace 6 ${table} default via fe80::${(0x4ff + eni).toString(16)}:${(0x11ff + eni).toString(16)}:fe9e:${(0x40 + eni).toString(16)} dev ${mac}`,
    );
    rules.push(`rule add 4 ${20000 + eni} iif ${mac} table main`, `rule add 6 ${20100 + eni} iif ${mac} table main`);
    rules.push(`rule add 4 ${21000 + eni} fwmark 0x${(eni + 1).toString(16)}/0x7f table ${table}`);
  }
  const text = `${[
    HEADER,
    ...lines,
    'rule add 4 20999 suppress-ifgroup 224 table main',
    'rule add 6 20999 suppress-ifgroup 224 table main',
    ...rules,
    'sysctl net.ipv4.conf.all.src_valid_mark 1',
    `connmark 0x7f ${Array.from({ length: LARGEST.enis }, (_, eni) => `${macOf(eni)}=0x${(eni + 1).toString(16)}`).join(' ')}`,
  ].join('\n')}\n`;
  parsePlanLines(text); // throws on a line the agent would refuse
  return text;
}

/** A plan past any instance: 19,999 address lines (the most a plan may have), addresses spread wide. */
export function beyondLargestPlanText(): string {
  const mac = macOf(1);
  const lines = Array.from({ length: 19_999 }, (_, i) => `addr add ${mac} 10.${(i * 7919) % 250}.${(i * 104_729) % 251}.${(i * 1_299_709) % 253 + 1}/8`);
  const text = `${[HEADER, ...lines].join('\n')}\n`;
  parsePlanLines(text);
  return text;
}
