/** A plan text line the agent would refuse; `line` is 1-based (the header is line 1). */
export class InvalidPlanLineError extends Error {
  override readonly name = 'InvalidPlanLineError';

  constructor(
    readonly line: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`plan line ${line}: ${reason}`, options);
  }
}
