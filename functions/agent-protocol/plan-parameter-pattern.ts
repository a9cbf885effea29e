import { PLAN_PARAMETER_MAX_CHARS } from './ssm-size-budget';

export { PLAN_PARAMETER_MAX_CHARS } from './ssm-size-budget';

const BASE64 = '[A-Za-z0-9+/]';
const BLOCK_CHARS = 1000;
const LAST_QUANTUM = `(?:${BASE64}{4}|${BASE64}{2}==|${BASE64}{3}=)?`;

/**
 * A pattern for standard base64 in whole quanta, at most `maxChars` characters (a multiple of 1,000).
 * The SSM Agent validates allowedPattern with Go's regexp (agent/framework/docparser/paramvalidator),
 * which refuses a repeat count over 1,000 and nested repeats whose product passes 1,000 copies
 * (regexp/syntax repeatIsValid): `(?:X{4}){0,8000}` and `(?:X{1000}){0,31}` both fail to compile. So
 * the length is counted by a chain of optional 1,000-character blocks (`?` is no repeat count), then
 * up to 249 quanta, then the last quantum, padded or not. Every length has one reading, so backtracking
 * engines (JavaScript here, whatever SSM runs server-side) stay linear too.
 */
export function boundedBase64Pattern(maxChars: number): string {
  if (!Number.isInteger(maxChars / BLOCK_CHARS) || maxChars < BLOCK_CHARS) throw new RangeError(`not a positive multiple of ${BLOCK_CHARS}: ${maxChars}`);
  const blocks = maxChars / BLOCK_CHARS - 1;
  const chain = `${`(?:${BASE64}{${BLOCK_CHARS}}`.repeat(blocks)}${')?'.repeat(blocks)}`;
  return `^${chain}(?:${BASE64}{4}){0,${BLOCK_CHARS / 4 - 1}}${LAST_QUANTUM}$`;
}

/**
 * The `Plan` parameter's allowedPattern: standard base64 in whole quanta, nothing else, and no longer
 * than SSM's quota leaves it (ssm-size-budget.ts). SSM checks it before the command reaches the
 * instance, so even an SSM Agent older than 3.3.2746.0 (which pastes `{{ Plan }}` into the script text
 * instead of setting SSM_Plan) can only ever paste base64 characters. The empty string matches too: the
 * parameter's default, used by `inspect`.
 */
export const PLAN_ALLOWED_PATTERN = boundedBase64Pattern(PLAN_PARAMETER_MAX_CHARS);
