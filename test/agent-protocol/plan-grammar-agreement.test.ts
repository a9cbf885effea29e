/**
 * One plan grammar, two implementations: the TypeScript parser (functions/core/plan-lines, what the
 * planner's output must pass) and the agent's awk validator (scripts/agent/awk, the last word on the
 * instance). Every line of test/fixtures/plan-grammar/plan-lines.json runs through both — the awk
 * programs directly, under every awk installed, with the agent's own constants; no root, no namespace —
 * and both must give the fixture's verdict.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlanLines } from '../../functions/core/plan-lines/parse-plan-lines';
import { InvalidPlanLineError } from '../../functions/core/plan-lines/invalid-plan-line-error';
import { installedAwks, validateWithAwk } from './agent-constants';

interface Fixture {
  readonly header: string;
  readonly valid: readonly string[];
  readonly refused: readonly { readonly line: string; readonly why: string }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'plan-grammar', 'plan-lines.json'), 'utf8')) as Fixture;
const MAC = '0a:e1:ab:00:00:11';
const macOf = (i: number): string => `0a:e1:ab:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

/** A valid connmark line of exactly `chars` characters: distinct pairs, marks zero-padded (0x001 is 0x1) to fit. */
function connmarkLineOf(chars: number): string {
  const head = 'connmark 0xfffff';
  const pairOf = (id: number, digits: number): string => ` ${macOf(id)}=0x${id.toString(16).padStart(digits, '0')}`;
  const room = chars - head.length;
  // every pair takes 3 to 8 mark digits (24 to 29 characters): enough pairs, the extra digits spread over them
  const count = Math.ceil(room / pairOf(1, 8).length);
  let extra = room - count * pairOf(1, 3).length;
  const pairs = Array.from({ length: count }, (_, i) => {
    const digits = 3 + Math.min(5, extra);
    extra -= digits - 3;
    return pairOf(i + 1, digits);
  });
  return `${head}${pairs.join('')}`;
}

/** The TypeScript verdict in the awk program's words: "OK" or "REFUSE <line>". */
function typescriptVerdict(planText: string): string {
  try {
    parsePlanLines(planText);
    return 'OK';
  } catch (error) {
    if (error instanceof InvalidPlanLineError) return `REFUSE ${error.line}`;
    throw error;
  }
}

const awkVerdict = (awk: string, planText: string): string => validateWithAwk(awk, planText).replace(/^(REFUSE \d+) .*$/, '$1');
const planOf = (...lines: string[]): string => `${[fixture.header, ...lines].join('\n')}\n`;

// Whole plans, where the line count, the header and repeated lines matter.
const plans: readonly (readonly [string, string, string])[] = [
  ['the header alone', planOf(), 'OK'],
  ['a header of version 2', 'eni-pbr-plan 2 tables=20000-20999 prefs=20000-22999\n', 'REFUSE 1'],
  ['tables outside the agent window', 'eni-pbr-plan 1 tables=19999-20999 prefs=20000-22999\n', 'REFUSE 1'],
  ['an inverted table range', 'eni-pbr-plan 1 tables=20999-20000 prefs=20000-22999\n', 'REFUSE 1'],
  ['priorities past the agent window', 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-30000\n', 'REFUSE 1'],
  ['a header with a trailing space', 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999 \n', 'REFUSE 1'],
  ['a bad fourth line', planOf('link group 0a:e1:ab:00:00:11 224', 'sysctl net.ipv4.conf.all.src_valid_mark 1', 'exec reboot'), 'REFUSE 4'],
  ['two sysctl lines', planOf('sysctl net.ipv4.conf.all.src_valid_mark 1', 'sysctl net.ipv4.conf.all.src_valid_mark 0'), 'REFUSE 3'],
  ['two connmark lines', planOf('connmark 0x7f', 'connmark 0x7f'), 'REFUSE 3'],
  ['20,000 lines', planOf(...Array.from({ length: 19_999 }, () => `link group ${MAC} 224`)), 'OK'],
  ['20,001 lines', planOf(...Array.from({ length: 20_000 }, () => `link group ${MAC} 224`)), 'REFUSE 0'],
  ['a connmark line of 8,192 characters', planOf(connmarkLineOf(8192)), 'OK'],
  ['a connmark line of 8,193 characters', planOf(connmarkLineOf(8193)), 'REFUSE 2'],
];

describe.each(installedAwks())('the plan grammar: TypeScript and the agent under %s', (awk) => {
  it.each(fixture.valid.map((line) => [line]))('both accept %j', (line) => {
    expect([typescriptVerdict(planOf(line)), awkVerdict(awk, planOf(line))]).toEqual(['OK', 'OK']);
  });

  it.each(fixture.refused.map(({ line, why }) => [why, line]))('both refuse line 2 for %s', (_why, line) => {
    expect([typescriptVerdict(planOf(line)), awkVerdict(awk, planOf(line))]).toEqual(['REFUSE 2', 'REFUSE 2']);
  });

  it.each(plans)('both judge a plan of %s alike', (_name, planText, verdict) => {
    expect([typescriptVerdict(planText), awkVerdict(awk, planText)]).toEqual([verdict, verdict]);
  });
});

it('runs under at least mawk, the awk of Debian and Ubuntu', () => {
  expect(installedAwks()).toContain('mawk');
});

it('builds connmark lines of the exact lengths it asks for', () => {
  expect([connmarkLineOf(8192).length, connmarkLineOf(8193).length]).toEqual([8192, 8193]);
});
