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

  it('refuses, naming both sizes, a plan whose encoding passes what the quota leaves the parameter', () => {
    const noise = Array.from({ length: 80_000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join(' ');

    expect(() => encodePlanParameter(noise)).toThrow(PlanParameterTooLargeError);
    expect(() => encodePlanParameter(noise)).toThrow(/encoded plan is \d+ characters; the Plan parameter takes at most 32000/);
  });
});
