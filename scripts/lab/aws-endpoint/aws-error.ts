/**
 * An error the endpoint answers the way the service would: its code is what the SDK turns into the
 * exception class (`InvocationDoesNotExist`, `InvalidNetworkInterfaceID.NotFound`, …).
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  constructor(
    readonly code: string,
    message: string,
    /** HTTP status: 400 for the caller's mistakes, 500/503 for the service's */
    readonly status = 400,
  ) {
    super(message);
  }
}

/** What every service calls its input checks: a missing or out-of-range field. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** A required string field, or the service's validation error naming it. */
export function requireString(input: Record<string, unknown>, field: string, code = 'ValidationException'): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw new AwsError(code, `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}
