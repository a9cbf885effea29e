import { gunzipSync } from 'node:zlib';
import { encodePlanParameter, PLAN_ALLOWED_PATTERN, PlanParameterTooLargeError } from '../../functions/agent-protocol/encode-plan-parameter';

describe('encodePlanParameter', () => {
  it('sends base64 of gzip on one line that inflates back to the plan', () => {
    const plan = 'eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999\nrule add 4 20000 from 10.0.3.158/32 table 20001\n';

    const encoded = encodePlanParameter(plan);

    expect(encoded).not.toContain('\n');
    expect(encoded).toMatch(new RegExp(PLAN_ALLOWED_PATTERN));
    expect(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')).toBe(plan);
  });

  it('refuses a plan whose encoding no longer fits the parameter', () => {
    const noise = Array.from({ length: 80_000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join(' ');

    expect(() => encodePlanParameter(noise)).toThrow(PlanParameterTooLargeError);
  });
});

describe('the Plan allowedPattern', () => {
  const pattern = new RegExp(PLAN_ALLOWED_PATTERN);

  it.each(['', 'H4sIAAAAAAAAA0tMSgYA', 'AAAA', 'AAA=', 'AA=='])('accepts base64 %p', (value) => {
    expect(pattern.test(value)).toBe(true);
  });

  it.each([
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
  ])('rejects %s', (_name, value) => {
    expect(pattern.test(value)).toBe(false);
  });
});
