/**
 * The Plan parameter's allowedPattern, under the engine that enforces it: the SSM Agent compiles it with
 * Go's regexp (RE2 syntax, repeat counts ≤ 1000, nested repeats ≤ 1000 copies). re2js is a port of
 * that parser and matcher; JavaScript's RegExp is what the local runner and encodePlanParameter use.
 */
import { RE2JS } from 're2js';
import { boundedBase64Pattern, PLAN_ALLOWED_PATTERN, PLAN_PARAMETER_MAX_CHARS } from '../../functions/agent-protocol/plan-parameter-pattern';
import { AGENT_DOCUMENT_MAX_BYTES, MODE_PARAMETER_MAX_BYTES, SSM_DOCUMENT_QUOTA_BYTES } from '../../functions/agent-protocol/ssm-size-budget';

const engines: readonly [string, (value: string) => boolean][] = [
  ['RE2 (as Go)', (value) => RE2JS.compile(PLAN_ALLOWED_PATTERN).matches(value)],
  ['JavaScript', (value) => new RegExp(PLAN_ALLOWED_PATTERN).test(value)],
];
const base64 = (chars: number): string => 'QUJD'.repeat(Math.ceil(chars / 4)).slice(0, chars);

describe('the Plan allowedPattern bound', () => {
  it('follows from the quota: the document share, the longest Mode and the Plan add up to at most 64 KB', () => {
    expect(AGENT_DOCUMENT_MAX_BYTES + MODE_PARAMETER_MAX_BYTES + PLAN_PARAMETER_MAX_CHARS).toBeLessThanOrEqual(SSM_DOCUMENT_QUOTA_BYTES);
    expect(PLAN_PARAMETER_MAX_CHARS).toBe(32_000);
  });

  it('compiles under Go\'s repeat rules, where {0,8000} or nested counts past 1,000 do not', () => {
    expect(() => RE2JS.compile(PLAN_ALLOWED_PATTERN)).not.toThrow();
    expect(() => RE2JS.compile('^(?:[A-Za-z0-9+/]{4}){0,8000}$')).toThrow('invalid repeat count');
    expect(() => RE2JS.compile('^(?:[A-Za-z0-9+/]{1000}){0,31}$')).toThrow('invalid repeat count');
  });

  it('is only built for whole 1,000-character blocks', () => {
    expect(() => boundedBase64Pattern(32_500)).toThrow(RangeError);
  });
});

describe.each(engines)('the Plan allowedPattern under %s', (_engine, matches) => {
  it.each([0, 4, 996, 1000, 1004, 2000, 16_384, 31_000, 31_996, PLAN_PARAMETER_MAX_CHARS])('accepts %i characters of base64', (chars) => {
    expect(matches(base64(chars))).toBe(true);
  });

  it.each([
    ['one padding character', `${base64(PLAN_PARAMETER_MAX_CHARS - 4)}QUJ=`],
    ['two padding characters', `${base64(PLAN_PARAMETER_MAX_CHARS - 4)}QU==`],
    ['the whole alphabet', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'],
  ])('accepts base64 ending in %s', (_name, value) => {
    expect(matches(value)).toBe(true);
  });

  it.each([
    ['one quantum past the bound', base64(PLAN_PARAMETER_MAX_CHARS + 4)],
    ['a padded quantum past the bound', `${base64(PLAN_PARAMETER_MAX_CHARS)}QU==`],
    ['twice the bound', base64(2 * PLAN_PARAMETER_MAX_CHARS)],
    ['a semicolon', 'AAAA;reboot'],
    ['a command substitution', '$(id)AAA'],
    ['a backtick', '`id`'],
    ['a double quote that would end the fallback string', 'AAAA"'],
    ['a single quote', "AAA'"],
    ['a newline', 'AAAA\nAAAA'],
    ['a space', 'AAAA AAAA'],
    ['a pipe', 'AAAA|sh'],
    ['an ampersand', 'AAAA&'],
    ['a redirection', 'AAAA>x'],
    ['a dollar sign', '$SSM_Mode'],
    ['a backslash', 'AAA\\'],
    ['braces', 'AAAA{}'],
    ['a glob', 'AAA*'],
    ['URL-safe base64', 'AA-_'],
    ['padding in the middle', 'AA==AAAA'],
    ['a partial quantum', 'AAAAA'],
    ['a bad character at the very end of a long value', `${base64(PLAN_PARAMETER_MAX_CHARS - 4)}AAA!`],
  ])('rejects %s', (_name, value) => {
    expect(matches(value)).toBe(false);
  });
});
