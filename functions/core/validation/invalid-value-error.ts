/** Longest excerpt of a rejected value kept in an error message: hostile input must not flood the logs. */
const EXCERPT_LENGTH = 40;

/** A single field failed validation; the parsers wrap it in their own typed error as `cause`. */
export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';

  constructor(
    readonly field: string,
    readonly reason: string,
    value: unknown,
  ) {
    super(`${field}: ${reason} (got ${describeValue(value)})`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  const excerpt = JSON.stringify(value.slice(0, EXCERPT_LENGTH));
  return value.length > EXCERPT_LENGTH ? `${excerpt}… (${value.length} chars)` : excerpt;
}
