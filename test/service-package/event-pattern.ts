/**
 * A small EventBridge pattern evaluator (EventBridge user guide, "Event patterns"), enough for the
 * patterns this service deploys and their near-misses: literal values, `exists`, `prefix`,
 * `anything-but`, nested objects and arrays of objects. An event field that is an array matches when
 * any element does.
 * Operators it does not know throw, so a new pattern cannot pass by being ignored.
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly Matcher[] };
type Literal = string | number | boolean | null;
type Matcher = Literal | { readonly [operator: string]: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const present = Object.hasOwn(event, field);
    if (Array.isArray(expected)) return (expected as readonly Matcher[]).some((matcher) => matchesField(matcher, present, event[field]));
    // EventBridge matches leaves: an array of objects matches when one element does, and an absent (or
    // empty) object has no leaves, which only `exists: false` asks for
    const value = present ? event[field] : {};
    const candidates = Array.isArray(value) ? (value.length > 0 ? value : [{}]) : [value];
    return candidates.some((one) => matchesPattern(expected as EventPattern, one));
  });
}

function matchesField(matcher: Matcher, present: boolean, value: unknown): boolean {
  if (isObject(matcher) && 'exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((one) => matchesValue(matcher, one));
}

function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator, ...others] = Object.keys(matcher);
  if (operator === undefined || others.length > 0) throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
  const operand = matcher[operator];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'anything-but': {
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(value);
    }
    default:
      throw new Error(`unsupported operator ${operator}`);
  }
}
